package dev.hearth.gateway.txid;

import dev.hearth.common.id.TransactionId;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.springframework.web.server.ServerWebExchange;

/** How a request's transaction id is settled, and where {@link TransactionIdFilter} keeps it on the exchange. */
public final class TransactionIds {
    /** The exchange attribute under which the filter stores the id. */
    public static final String ATTRIBUTE = TransactionId.class.getName();

    private TransactionIds() {}

    /** The client's {@code X-Request-ID} when it is a valid id, else a fresh one drawn from {@code random}. */
    public static TransactionId settle(String header, RandomGenerator random) {
        return TransactionId.parse(header).orElseGet(() -> TransactionId.generate(random));
    }

    /** The id that {@link TransactionIdFilter} gave this exchange, if it ran. */
    public static Optional<TransactionId> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
