package dev.hearth.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The Resilience4j circuit breaker around the controller route. The guarded call lasts until the
 * controller's response headers arrive; any response, whatever its status, is a success (a 502 is
 * a failed action, not a failed controller). Errors — no connection to any controller, response
 * timeout, broken connection — are failures, and they and an open circuit become
 * {@link NoControllerAnsweredException}, which the error handler renders as 503.
 */
final class ControllerCircuitBreakerFilter implements GatewayFilter {

    private static final Logger log = LoggerFactory.getLogger(ControllerCircuitBreakerFilter.class);

    private final CircuitBreaker circuitBreaker;

    ControllerCircuitBreakerFilter(CircuitBreaker circuitBreaker) {
        this.circuitBreaker = circuitBreaker;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return chain.filter(exchange)
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .onErrorMap(e -> !exchange.getResponse().isCommitted(), e -> {
                    log.warn(
                            "{} {}: no controller answered: {}",
                            exchange.getRequest().getMethod(),
                            exchange.getRequest().getPath(),
                            e.toString());
                    return new NoControllerAnsweredException(e);
                });
    }
}
