package dev.hearth.gateway.routing;

import dev.hearth.common.id.TransactionId;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
import java.util.Set;

/**
 * The headers that cross the gateway, each way (pure, table-tested).
 *
 * <p>To the controller: the client's headers without the hop-by-hop ones (RFC 9110 section 7.6.1:
 * {@code Connection} and those it names, {@code Keep-Alive}, {@code TE}, {@code Trailer},
 * {@code Transfer-Encoding}, {@code Upgrade}, {@code Proxy-Authorization}, {@code Proxy-Authenticate})
 * and without {@code Host} (the connection to the controller sets its own); the transaction id
 * ({@code X-Request-ID}) the gateway settled; {@code X-Forwarded-For} with the client's address appended,
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} as the client addressed the gateway.
 * {@code Content-Length} passes, so a body of known length is sent as it came, not re-chunked; a body the
 * client sent chunked (its length unknown) is marked {@code Transfer-Encoding: chunked} again for the
 * gateway's own connection, or it would reach the controller as no body at all.
 *
 * <p>Back to the client: the controller's headers without the hop-by-hop ones, and the transaction id.
 * An answer that may have a body but has no {@code Content-Length} (Spring MVC's JSON) is marked
 * {@code Transfer-Encoding: chunked} again for the gateway's own connection: without a length or chunks
 * the only end of a body is the end of the connection, and Reactor Netty closes the client's kept-alive
 * connection after it.
 */
final class ProxyHeaders {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "proxy-authorization",
            "proxy-authenticate",
            "proxy-connection");

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";

    private ProxyHeaders() {}

    /**
     * The headers of the request to the controller.
     *
     * @param client      the client's request headers
     * @param id          the transaction id the gateway settled
     * @param clientAddress the client's IP address as text, or null when unknown
     * @param scheme      {@code http} or {@code https}, as the client reached the gateway
     */
    static HttpHeaders toController(HttpHeaders client, TransactionId id, String clientAddress, String scheme) {
        HttpHeaders out = copyEndToEnd(client);
        out.remove(HttpHeaderNames.HOST);
        out.set(TransactionId.HEADER, id.value());
        if (clientAddress != null) {
            String earlier = client.get(FORWARDED_FOR);
            out.set(
                    FORWARDED_FOR,
                    earlier == null || earlier.isBlank() ? clientAddress : earlier + ", " + clientAddress);
        }
        out.set(FORWARDED_PROTO, scheme);
        if (client.contains(HttpHeaderNames.TRANSFER_ENCODING) && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        String host = client.get(HttpHeaderNames.HOST);
        if (host != null) {
            out.set(FORWARDED_HOST, host);
        }
        return out;
    }

    /**
     * The headers of the answer to the client, from the controller's answer.
     *
     * @param mayHaveBody false for answers that never have one (to {@code HEAD}; 1xx, 204, 304)
     */
    static HttpHeaders toClient(HttpHeaders controller, TransactionId id, boolean mayHaveBody) {
        HttpHeaders out = copyEndToEnd(controller);
        out.set(TransactionId.HEADER, id.value());
        if (mayHaveBody && !out.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return out;
    }

    /** Whether an answer with {@code status} to a request with {@code method} may have a body (RFC 9110 6.4.1). */
    static boolean mayHaveBody(String method, int status) {
        return !"HEAD".equals(method) && status >= 200 && status != 204 && status != 304;
    }

    /** {@code headers} without the hop-by-hop headers and those {@code Connection} names. */
    private static HttpHeaders copyEndToEnd(HttpHeaders headers) {
        Set<String> named = connectionTokens(headers);
        HttpHeaders out = new DefaultHttpHeaders(false);
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(name) && !named.contains(name)) {
                out.add(header.getKey(), header.getValue());
            }
        }
        return out;
    }

    private static Set<String> connectionTokens(HttpHeaders headers) {
        String connection = headers.get(HttpHeaderNames.CONNECTION);
        if (connection == null) {
            return Set.of();
        }
        java.util.HashSet<String> tokens = new java.util.HashSet<>();
        for (String token : connection.split(",")) {
            String t = token.strip().toLowerCase(java.util.Locale.ROOT);
            if (!t.isEmpty()) {
                tokens.add(t);
            }
        }
        return tokens;
    }
}
