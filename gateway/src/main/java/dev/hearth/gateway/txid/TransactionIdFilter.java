package dev.hearth.gateway.txid;

import dev.hearth.common.id.TransactionId;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * The first filter of every request WebFlux serves (the controller route settles its own id the same way):
 * settles the transaction id, puts it on the request that goes
 * on to the controller, and sets it on the response just before it is committed (so upstream
 * responses and the gateway's own error bodies carry it alike).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class TransactionIdFilter implements WebFilter {

    private final Supplier<RandomGenerator> random;

    TransactionIdFilter() {
        this(ThreadLocalRandom::current);
    }

    /** @param random the source of fresh ids, asked once per request without a valid id */
    TransactionIdFilter(Supplier<RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        TransactionId id =
                TransactionIds.settle(exchange.getRequest().getHeaders().getFirst(TransactionId.HEADER), random.get());
        ServerWebExchange mutated = exchange.mutate()
                .request(r -> r.headers(h -> h.set(TransactionId.HEADER, id.value())))
                .build();
        mutated.getAttributes().put(TransactionIds.ATTRIBUTE, id);
        mutated.getResponse().beforeCommit(() -> {
            mutated.getResponse().getHeaders().set(TransactionId.HEADER, id.value());
            return Mono.empty();
        });
        return chain.filter(mutated);
    }
}
