/**
 * Transaction ids: every request through the gateway carries an {@code X-Request-ID}. A valid id
 * sent by the client is kept, otherwise one is generated; it is forwarded to the controller, set on
 * the response and used as the {@code code} of OpenWhisk error bodies.
 */
package dev.hearth.gateway.txid;
