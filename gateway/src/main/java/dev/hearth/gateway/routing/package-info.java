/**
 * The route from {@code /api/**} to the controllers: which controller gets a request
 * ({@link dev.hearth.gateway.routing.ControllerRing}), trying the next one when a connection is
 * refused ({@link dev.hearth.gateway.routing.ControllerRoutingFilter}), and the circuit breaker that
 * turns "no controller answered" into a 503
 * ({@link dev.hearth.gateway.routing.ControllerCircuitBreakerFilter}).
 */
package dev.hearth.gateway.routing;
