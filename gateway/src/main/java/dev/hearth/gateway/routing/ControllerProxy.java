package dev.hearth.gateway.routing;

import dev.hearth.common.id.TransactionId;
import dev.hearth.gateway.local.ErrorBodies;
import dev.hearth.gateway.local.ReadBeforeAnsweringFilter;
import dev.hearth.gateway.txid.TransactionIds;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The gateway's route to the controllers: {@code /api} and everything under it ({@link ApiPaths}), served
 * by Reactor Netty itself, in front of WebFlux, which answers everything else ({@code /ping}, health,
 * unknown paths).
 *
 * <p>Per request:
 * <ol>
 *   <li>The transaction id: the client's valid {@code X-Request-ID}, else a fresh one; it goes to the
 *       controller and back on the answer.
 *   <li>The circuit breaker is asked first; when it is open the request is not sent.
 *   <li>The controllers in {@link ControllerRing}'s order: the request goes to the first; when a
 *       connection to it cannot be opened (refused, connect timeout) it goes to the next, and so on, the
 *       body still unread. Only connect failures fail over: once a controller has the request, it may be
 *       acting on it, so a response timeout or a broken connection does not.
 *   <li>Method, raw path and query, headers ({@link ProxyHeaders}) and body go to the controller on a
 *       connection of the event loop that read the request ({@link Clients}); the answer's status, headers and body come
 *       back the same way, unchanged, whatever the status (a 502 is a failed action, not a failed
 *       controller). A body of known length up to {@link ApiPaths#WHOLE_MAX} (an invocation's) is read
 *       whole and sent with its headers in one write, each way; longer and chunked bodies stream as
 *       they arrive (uploads of several GB).
 *   <li>The breaker counts a call from the request to the answer's headers: headers are a success; no
 *       connection to any controller, the response timeout or a broken connection before them are
 *       failures.
 *   <li>When no controller answered (those failures, or the breaker open): 503 with OpenWhisk's error
 *       body, written once the request's small unread body has been read (the rule of
 *       {@link ReadBeforeAnsweringFilter}, for the same Reactor Netty 1.3.6 bug).
 * </ol>
 *
 * <p>A controller in the gateway's own JVM ({@link LocalController}; the standalone platform's) takes the
 * requests it claims (invocations) as method calls when their body is of known length up to
 * {@link ApiPaths#WHOLE_MAX}: the body is read whole and handed over, the answer written back with the
 * transaction id; there is no connection to fail, so the circuit breaker is not asked. That is the hop's
 * loopback round trip, the controller's Tomcat and both ends' copies of the body off the path of every call.
 *
 * <p>Why not Spring Cloud Gateway, which this route replaced (session 29): its per-request machinery
 * (WebFlux's exchange, the gateway filter chain, header filters, its routing filter) cost more on the
 * same hop. Each in a JVM of its own in front of the same controller, warm ResNet-18 calls in alternating
 * blocks of one run: 1.28 ms more a call at p50 (median of the last five windows of 300 calls each), and
 * 4.2 against 2.5 ms of the JVM's CPU a call.
 */
final class ControllerProxy implements NettyRouteProvider {

    private static final Logger log = LoggerFactory.getLogger(ControllerProxy.class);
    private static final byte[] NO_BODY = new byte[0];

    private final ControllerRing ring;
    private final HttpClient apiClient;
    private final HttpClient uploadClient;
    private final CircuitBreaker breaker;
    private final LocalController local;
    private final Map<EventLoop, Clients> byLoop = new ConcurrentHashMap<>();

    /**
     * The clients of one event loop: connections opened on that loop only, in a pool of their own. A shared
     * pool hands out whichever idle connection it has, on any loop, so a request read on one loop was
     * written by another and its answer handed back: two threads woken a call (colocation only picks the
     * loop of a new connection). The pools are keyed by the loop resources ({@code runOn}), so each loop's
     * client keeps its own.
     */
    private record Clients(HttpClient api, HttpClient upload) {}

    /**
     * @param client the client to the controllers (its loops, pool and connect timeout); this adds the
     *               response timeouts: {@code responseTimeout} for the API, {@code uploadTimeout} for uploads
     * @param local  a controller in this JVM that takes some requests as calls, or null
     */
    ControllerProxy(
            ControllerRing ring,
            HttpClient client,
            CircuitBreaker breaker,
            Duration responseTimeout,
            Duration uploadTimeout,
            LocalController local) {
        this.ring = ring;
        this.local = local;
        this.apiClient = client.responseTimeout(responseTimeout);
        this.uploadClient = client.responseTimeout(uploadTimeout);
        this.breaker = breaker;
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.route(r -> ApiPaths.isApi(ApiPaths.path(ApiPaths.pathAndQuery(r.uri()))), this::forward);
    }

    private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders in = request.requestHeaders();
        TransactionId id = TransactionIds.settle(in.get(TransactionId.HEADER), ThreadLocalRandom.current());
        String pathAndQuery = ApiPaths.pathAndQuery(request.uri());
        boolean whole = ApiPaths.sendWhole(contentLength(in)); // chunked or no body: no length, streamed
        if (whole && local != null && local.takes(request.method().name(), ApiPaths.path(pathAndQuery))) {
            return callLocal(request, response, id, pathAndQuery);
        }
        Clients clients = byLoop.computeIfAbsent(
                loopOf(request), loop -> new Clients(apiClient.runOn(loop), uploadClient.runOn(loop)));
        HttpClient client = ApiPaths.isUpload(ApiPaths.path(pathAndQuery)) ? clients.upload() : clients.api();
        if (!breaker.tryAcquirePermission()) {
            return unavailable(
                    request, response, id, CallNotPermittedException.createCallNotPermittedException(breaker));
        }
        Guard guard = new Guard(breaker);
        HttpHeaders out = ProxyHeaders.toController(in, id, clientAddress(request), request.scheme());
        return attempt(request, response, client, out, whole, pathAndQuery, ring.next(), 0, id, guard)
                .doOnCancel(guard::abandoned)
                .onErrorResume(e -> !response.hasSentHeaders(), e -> {
                    guard.failed(e);
                    return unavailable(request, response, id, e);
                });
    }

    private Mono<Void> attempt(
            HttpServerRequest request,
            HttpServerResponse response,
            HttpClient client,
            HttpHeaders out,
            boolean whole,
            String pathAndQuery,
            List<URI> order,
            int i,
            TransactionId id,
            Guard guard) {
        return client.request(request.method())
                .uri(ControllerRing.target(pathAndQuery, order.get(i)))
                .send((toController, body) -> {
                    toController.headers(out);
                    return whole
                            ? body.send(request.receive().aggregate().retain())
                            : body.send(request.receive().retain());
                })
                .response((answer, body) -> {
                    guard.answered();
                    boolean mayHaveBody = ProxyHeaders.mayHaveBody(
                            request.method().name(), answer.status().code());
                    HttpHeaders back = ProxyHeaders.toClient(answer.responseHeaders(), id, mayHaveBody);
                    response.status(answer.status()).headers(back);
                    return ApiPaths.sendWhole(contentLength(back))
                            ? response.send(body.aggregate().retain())
                            : response.send(body.retain());
                })
                .then()
                .onErrorResume(e -> i + 1 < order.size() && isConnectFailure(e) && !response.hasSentHeaders(), e -> {
                    log.warn(
                            "controller {} refused a connection ({}); trying {}",
                            order.get(i),
                            e.toString(),
                            order.get(i + 1));
                    return attempt(request, response, client, out, whole, pathAndQuery, order, i + 1, id, guard);
                });
    }

    /**
     * The request to the controller of this JVM as a method call: its whole body, then the answer on the
     * client's connection with the transaction id, its length and the date. A failure of the call itself (not
     * a bad request, which is an answer) is the 503 of no controller answering.
     */
    private Mono<Void> callLocal(
            HttpServerRequest request, HttpServerResponse response, TransactionId id, String pathAndQuery) {
        String path = ApiPaths.path(pathAndQuery);
        String query = pathAndQuery.length() > path.length() ? pathAndQuery.substring(path.length() + 1) : null;
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        return request.receive()
                .aggregate()
                .asByteArray()
                .defaultIfEmpty(NO_BODY)
                .flatMap(body -> Mono.fromCompletionStage(
                        () -> local.call(new LocalController.Call(path, query, authorization, id, body))))
                .flatMap(reply -> {
                    HttpHeaders back = new DefaultHttpHeaders(false);
                    reply.headers().forEach(back::set);
                    back.set(TransactionId.HEADER, id.value());
                    back.set(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
                    back.set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
                    return response.status(reply.status())
                            .headers(back)
                            .sendByteArray(Mono.just(reply.body()))
                            .then();
                })
                .onErrorResume(e -> !response.hasSentHeaders(), e -> unavailable(request, response, id, e));
    }

    /** 503 in OpenWhisk's shape, after reading a small unread body (see the class comment). */
    private static Mono<Void> unavailable(
            HttpServerRequest request, HttpServerResponse response, TransactionId id, Throwable cause) {
        log.warn("{} {}: no controller answered: {}", request.method(), request.uri(), cause.toString());
        HttpHeaders in = request.requestHeaders();
        boolean drain = ReadBeforeAnsweringFilter.waitsFor(
                in.get(HttpHeaderNames.EXPECT), in.get(HttpHeaderNames.TRANSFER_ENCODING), contentLength(in));
        Mono<Void> read = drain ? request.receive().then().onErrorComplete() : Mono.empty();
        byte[] body = ErrorBodies.json(ErrorBodies.UNAVAILABLE, id.value());
        return read.then(Mono.defer(() -> {
            response.responseHeaders().clear();
            return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                    .header(TransactionId.HEADER, id.value())
                    .sendByteArray(Mono.just(body))
                    .then();
        }));
    }

    /** The declared body length, -1 when there is none or it is not a number. */
    private static long contentLength(HttpHeaders headers) {
        String value = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        try {
            return value == null ? -1 : Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The event loop the request was read on (its handler runs there). */
    private static EventLoop loopOf(HttpServerRequest request) {
        EventLoop[] loop = new EventLoop[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }

    private static String clientAddress(HttpServerRequest request) {
        return request.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : null;
    }

    /** Whether {@code e} or a cause of it is a failure to open a connection (refused or timed out). */
    static boolean isConnectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) { // includes Netty's ConnectTimeoutException
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A request's one call of the breaker: settled once, as answered, failed or abandoned. */
    private static final class Guard {
        private final CircuitBreaker breaker;
        private final long start;
        private final AtomicBoolean settled = new AtomicBoolean();

        Guard(CircuitBreaker breaker) {
            this.breaker = breaker;
            this.start = breaker.getCurrentTimestamp();
        }

        void answered() {
            if (settled.compareAndSet(false, true)) {
                breaker.onSuccess(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit());
            }
        }

        void failed(Throwable e) {
            if (settled.compareAndSet(false, true)) {
                breaker.onError(breaker.getCurrentTimestamp() - start, breaker.getTimestampUnit(), e);
            }
        }

        /** The client went away before an answer: the call counts neither way. */
        void abandoned() {
            if (settled.compareAndSet(false, true)) {
                breaker.releasePermission();
            }
        }
    }
}
