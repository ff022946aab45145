/**
 * Hearth's edge: a Spring Cloud Gateway that accepts the OpenWhisk REST API on port 3233 and
 * forwards {@code /api/**} to the controllers.
 *
 * <p>The package owns the application entry point ({@link dev.hearth.gateway.GatewayApplication})
 * and its one configuration record ({@link dev.hearth.gateway.GatewayProperties}). Sub-packages:
 * {@code routing} (picking a controller, fail-over, circuit breaking), {@code txid} (the
 * {@code X-Request-ID} transaction id) and {@code local} (what the gateway answers itself:
 * {@code /ping} and OpenWhisk-shaped error bodies).
 */
package dev.hearth.gateway;
