package dev.hearth.gateway.routing;

import dev.hearth.gateway.GatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.http.client.HttpClient;

/**
 * The route to the controllers ({@link ControllerProxy}, a Reactor Netty route Spring Boot puts in front of
 * WebFlux), its circuit breaker, and a {@link LocalController} when whoever starts the gateway registers one
 * (the standalone platform does).
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    static final String BREAKER_NAME = "controllers";

    @Bean
    CircuitBreaker controllerCircuitBreaker(GatewayProperties properties) {
        GatewayProperties.CircuitBreaker cb = properties.circuitBreaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(cb.slidingWindowSize())
                .minimumNumberOfCalls(cb.minimumNumberOfCalls())
                .failureRateThreshold(cb.failureRateThreshold())
                .waitDurationInOpenState(cb.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(cb.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // Long blocking invocations are normal; only errors count.
                .slowCallDurationThreshold(properties.responseTimeout().plusSeconds(1))
                .slowCallRateThreshold(100)
                .build();
        return CircuitBreaker.of(BREAKER_NAME, config);
    }

    @Bean
    ControllerProxy controllerProxy(
            GatewayProperties properties,
            HttpClient controllerClient,
            CircuitBreaker controllerCircuitBreaker,
            ObjectProvider<LocalController> localController) {
        return new ControllerProxy(
                new ControllerRing(properties.controllers()),
                controllerClient,
                controllerCircuitBreaker,
                properties.responseTimeout(),
                properties.uploadTimeout(),
                localController.getIfAvailable());
    }
}
