package dev.hearth.gateway.txid;

import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.springframework.web.server.ServerWebExchange;

/**
 * A request's transaction id, as carried in {@code X-Request-ID}. Generated ids are 32 lowercase
 * hex characters (OpenWhisk's shape); ids supplied by clients are accepted when they are 1–64 of
 * {@code [A-Za-z0-9._-]}, so they are safe in headers, logs and JSON without escaping.
 */
public record TransactionId(String value) {

    /** The HTTP header that carries the id in both directions. */
    public static final String HEADER = "X-Request-ID";

    /** The exchange attribute under which {@link TransactionIdFilter} stores the id. */
    public static final String ATTRIBUTE = TransactionId.class.getName();

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final HexFormat HEX = HexFormat.of();

    public TransactionId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid transaction id: " + value);
        }
    }

    /** The id in {@code header} if it is valid, else empty. */
    public static Optional<TransactionId> parse(String header) {
        return header != null && VALID.matcher(header).matches()
                ? Optional.of(new TransactionId(header))
                : Optional.empty();
    }

    /** A fresh id of 32 lowercase hex characters. */
    public static TransactionId generate(RandomGenerator random) {
        return new TransactionId(HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong()));
    }

    /** The id that {@link TransactionIdFilter} gave this exchange, if it ran. */
    public static Optional<TransactionId> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }

    @Override
    public String toString() {
        return value;
    }
}
