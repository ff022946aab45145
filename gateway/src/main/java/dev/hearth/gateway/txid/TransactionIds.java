package dev.hearth.gateway.txid;

import dev.hearth.common.id.TransactionId;
import java.util.Optional;
import org.springframework.web.server.ServerWebExchange;

/** Where {@link TransactionIdFilter} keeps a request's id on the exchange. */
public final class TransactionIds {
    /** The exchange attribute under which the filter stores the id. */
    public static final String ATTRIBUTE = TransactionId.class.getName();

    private TransactionIds() {}

    /** The id that {@link TransactionIdFilter} gave this exchange, if it ran. */
    public static Optional<TransactionId> of(ServerWebExchange exchange) {
        return Optional.ofNullable(exchange.getAttribute(ATTRIBUTE));
    }
}
