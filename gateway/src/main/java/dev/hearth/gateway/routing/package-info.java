/**
 * The route from {@code /api/**} to the controllers ({@link dev.hearth.gateway.routing.ControllerProxy}, a
 * Reactor Netty route in front of WebFlux): which requests it takes and their timeouts
 * ({@link dev.hearth.gateway.routing.ApiPaths}), which controller gets a request
 * ({@link dev.hearth.gateway.routing.ControllerRing}), the headers that cross
 * ({@link dev.hearth.gateway.routing.ProxyHeaders}), fail-over on a refused connection and the circuit
 * breaker that turns "no controller answered" into a 503, and the port through which a controller in the
 * same JVM takes invocations as method calls ({@link dev.hearth.gateway.routing.LocalController}).
 */
package dev.hearth.gateway.routing;
