package dev.hearth.gateway.routing;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.CONNECT_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;

import dev.hearth.gateway.GatewayProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The routes of the gateway: artifact uploads with their long response timeout, then {@code /api}
 * and everything under it. Both go to the controllers,
 * through the circuit breaker, with the configured connect and response timeouts. The route URI is
 * a placeholder that {@link ControllerRoutingFilter} replaces per request.
 */
@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    static final String ROUTE_ID = "controllers";
    static final String UPLOAD_ROUTE_ID = "uploads";

    @Bean
    ControllerRoutingFilter controllerRoutingFilter(GatewayProperties properties) {
        return new ControllerRoutingFilter(new ControllerRing(properties.controllers()));
    }

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
        return CircuitBreaker.of(ROUTE_ID, config);
    }

    @Bean
    RouteLocator controllerRoutes(
            RouteLocatorBuilder routes, GatewayProperties properties, CircuitBreaker controllerCircuitBreaker) {
        ControllerCircuitBreakerFilter breaker = new ControllerCircuitBreakerFilter(controllerCircuitBreaker);
        return routes.routes()
                // Uploads first: same controllers and breaker, but minutes to send a model.
                .route(
                        UPLOAD_ROUTE_ID,
                        r -> r.path("/api/v1/namespaces/{ns}/artifacts")
                                .filters(f -> f.filter(breaker))
                                .metadata(
                                        RESPONSE_TIMEOUT_ATTR,
                                        properties.uploadTimeout().toMillis())
                                .metadata(CONNECT_TIMEOUT_ATTR, (int)
                                        properties.connectTimeout().toMillis())
                                .uri(ControllerRoutingFilter.SCHEME + "://" + ROUTE_ID))
                .route(
                        ROUTE_ID,
                        r -> r.path("/api", "/api/**")
                                .filters(f -> f.filter(breaker))
                                .metadata(
                                        RESPONSE_TIMEOUT_ATTR,
                                        properties.responseTimeout().toMillis())
                                .metadata(CONNECT_TIMEOUT_ATTR, (int)
                                        properties.connectTimeout().toMillis())
                                .uri(ControllerRoutingFilter.SCHEME + "://" + ROUTE_ID))
                .build();
    }
}
