package dev.hearth.gateway.local;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * When the gateway answers a request itself (an error, {@code /ping}, actuator) nobody has read the
 * request's body. This filter makes such a response wait until the body has been read to its end
 * and thrown away; bodies that are too large, that the client will only send after
 * {@code 100 Continue}, or that cannot be read are not waited for, and the response closes the
 * connection instead. Responses from a controller are untouched: their body went to the
 * controller.
 *
 * <p>Why: on a kept-alive connection, Reactor Netty 1.3.6 stops reading when a request that arrived
 * before the previous response was finished (it is buffered, with its body) is answered on the spot.
 * The buffered body is then handed on after the request's exchange is over, nothing asks the socket
 * for more, and the client's next request gets no answer (reactor/reactor-netty#4361, fixed in
 * 1.3.8 by #4347). An answer that waits for the body lets the request's exchange take the body first.
 * It also keeps the connection in step without relying on Reactor Netty dropping unread content.
 * Once the build uses Reactor Netty 1.3.8 or later, this filter can go.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ReadBeforeAnsweringFilter implements WebFilter {

    /**
     * The most the gateway reads of a body it will not forward, so that the connection can be kept.
     * OpenWhisk's default limit on an invocation's payload is 1 MiB.
     */
    static final long MAX_DISCARDED_BODY = 1024 * 1024;

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        AtomicBoolean bodyRead = new AtomicBoolean();
        ServerHttpRequest original = exchange.getRequest();
        ServerHttpRequest tracked = new ServerHttpRequestDecorator(original) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().doOnSubscribe(s -> bodyRead.set(true));
            }
        };
        ServerHttpResponse response = exchange.getResponse();
        response.beforeCommit(() -> bodyRead.get() ? Mono.empty() : discardBody(original, response));
        return chain.filter(exchange.mutate().request(tracked).build());
    }

    /**
     * Reads and releases the body; completes once it ended, or at once with {@code Connection:
     * close} set on the response when the body is not to be waited for.
     */
    static Mono<Void> discardBody(ServerHttpRequest request, ServerHttpResponse response) {
        HttpHeaders headers = request.getHeaders();
        if (headers.getContentLength() > MAX_DISCARDED_BODY
                || "100-continue".equalsIgnoreCase(headers.getFirst(HttpHeaders.EXPECT))) {
            response.getHeaders().setConnection("close");
            return Mono.empty();
        }
        return request.getBody()
                .map(buffer -> {
                    int size = buffer.readableByteCount();
                    DataBufferUtils.release(buffer);
                    return (long) size;
                })
                .scan(0L, Long::sum)
                .any(total -> total > MAX_DISCARDED_BODY) // cancels the body when true
                .onErrorReturn(true) // e.g. read before, in part: where the connection stands is unknown
                .doOnNext(close -> {
                    if (close) {
                        response.getHeaders().setConnection("close");
                    }
                })
                .then();
    }
}
