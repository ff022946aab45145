package dev.hearth.gateway.local;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * When the gateway answers a request itself (an error, {@code /ping}, actuator) nobody has read the
 * request's body. If that body is small and already on its way, this filter makes the response wait
 * until the body has been read to its end and thrown away. Every other request is left as the
 * gateway handled it before this filter existed: the response is written at once and unchanged.
 * Responses from a controller are untouched: their body went to the controller.
 *
 * <p>Which bodies are waited for is decided from the request's headers alone ({@link #waitsFor}),
 * before a byte is read, so a request is either drained completely or not touched at all:
 *
 * <ul>
 *   <li>no body (no {@code Content-Length}, no {@code Transfer-Encoding}), or a
 *       {@code Content-Length} of at most {@link #MAX_DISCARDED_BODY}: waited for;
 *   <li>a larger {@code Content-Length} (an upload the gateway refuses, say), a chunked body whose
 *       size is unknown until its end, or {@code Expect: 100-continue} (the client sends the body
 *       only when asked): not waited for;
 *   <li>a body that cannot be read (its reading fails): the response is written as it is.
 * </ul>
 *
 * <p>Why: on a kept-alive connection, Reactor Netty 1.3.6 stops reading when a request that arrived
 * before the previous response was finished (it is buffered, with its body) is answered on the spot.
 * The buffered body is then handed on after the request's exchange is over, nothing asks the socket
 * for more, and the client's next request gets no answer (reactor/reactor-netty#4361, fixed in
 * 1.3.8 by #4347). An answer that waits for the body lets the request's exchange take the body first.
 *
 * <p>Caveat: requests that are not waited for keep that exposure. A large or chunked body, or one
 * behind {@code 100-continue}, that is pipelined behind another request and answered by the gateway
 * itself can still leave the connection unread. Closing the connection instead, as this filter
 * first did, risks cutting off the response to a client that is still sending (a large upload).
 * Once the build uses Reactor Netty 1.3.8 or later, this filter can go.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ReadBeforeAnsweringFilter implements WebFilter {

    /**
     * The largest declared body the gateway reads, without forwarding it, before answering. OpenWhisk's
     * default limit on an invocation's payload is 1 MiB.
     */
    static final long MAX_DISCARDED_BODY = 1024 * 1024;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest original = exchange.getRequest();
        if (!waitsFor(original.getHeaders())) {
            return chain.filter(exchange);
        }
        AtomicBoolean bodyRead = new AtomicBoolean();
        ServerHttpRequest tracked = new ServerHttpRequestDecorator(original) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnSubscribe(s -> bodyRead.set(true));
            }
        };
        exchange.getResponse().beforeCommit(() -> bodyRead.get() ? Mono.empty() : discardBody(original));
        return chain.filter(exchange.mutate().request(tracked).build());
    }

    /**
     * Whether a response the gateway makes itself should wait for this request's body: only when the
     * whole body is known, from the headers, to be coming and to be at most {@link #MAX_DISCARDED_BODY}.
     */
    static boolean waitsFor(HttpHeaders headers) {
        return waitsFor(
                headers.getFirst(HttpHeaders.EXPECT),
                headers.getFirst(HttpHeaders.TRANSFER_ENCODING),
                headers.getContentLength());
    }

    /**
     * {@link #waitsFor(HttpHeaders)} from the three headers that decide it (null when absent;
     * {@code contentLength} -1 when absent): also the rule of the controller route's own 503.
     */
    public static boolean waitsFor(String expect, String transferEncoding, long contentLength) {
        if ("100-continue".equalsIgnoreCase(expect)) {
            return false;
        }
        if (transferEncoding != null) {
            return false; // chunked: the size is only known at the end
        }
        return contentLength <= MAX_DISCARDED_BODY; // -1 when there is no body
    }

    /** Reads and releases the body; completes once it ended, or at once if it cannot be read. */
    static Mono<Void> discardBody(ServerHttpRequest request) {
        return request.getBody()
                .map(DataBufferUtils::release) // not doOnNext: then() would hand each buffer to the discard hook too
                .then()
                .onErrorComplete(); // e.g. read before, in part: answer as if the filter were not here
    }
}
