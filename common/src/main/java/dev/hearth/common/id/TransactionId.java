package dev.hearth.common.id;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The id that follows one request through every service (the {@code X-Request-ID} header); it is
 * the {@code code} of OpenWhisk error bodies. Generated ids are 32 lowercase hex characters
 * (OpenWhisk's shape); ids supplied by clients are kept when they are 1–64 of {@code [A-Za-z0-9._-]},
 * so they are safe in headers, logs and JSON without escaping. The gateway and the controller apply
 * the same rule, so an id the gateway keeps is never replaced further in.
 */
public record TransactionId(String value) {
    public static final String HEADER = "X-Request-ID";
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    public TransactionId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("transaction id must be 1-64 of [A-Za-z0-9._-]: " + value);
        }
    }

    /** The id in {@code header} if it is valid, else empty. */
    public static Optional<TransactionId> parse(String header) {
        return header != null && FORM.matcher(header).matches()
                ? Optional.of(new TransactionId(header))
                : Optional.empty();
    }

    public static TransactionId generate() {
        return generate(RANDOM);
    }

    /** A fresh id of 32 lowercase hex characters from {@code random}. */
    public static TransactionId generate(RandomGenerator random) {
        return new TransactionId(HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong()));
    }

    /** The client's id when it is valid, else a new one. */
    public static TransactionId fromHeaderOrNew(String header) {
        return parse(header).orElseGet(TransactionId::generate);
    }

    @Override
    public String toString() {
        return value;
    }
}
