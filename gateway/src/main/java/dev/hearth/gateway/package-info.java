/**
 * Hearth's edge: a Spring Boot service on Reactor Netty that accepts the OpenWhisk REST API on port 3233
 * and forwards {@code /api/**} to the controllers (a Reactor Netty route in front of WebFlux, which
 * answers the rest).
 *
 * <p>The package owns the application entry point ({@link dev.hearth.gateway.GatewayApplication})
 * and its one configuration record ({@link dev.hearth.gateway.GatewayProperties}). Sub-packages:
 * {@code routing} (the route: picking a controller, fail-over, circuit breaking), {@code netty} (the
 * event loops, pool and client the gateway owns), {@code txid} (the
 * {@code X-Request-ID} transaction id) and {@code local} (what the gateway answers itself:
 * {@code /ping} and OpenWhisk-shaped error bodies).
 */
package dev.hearth.gateway;
