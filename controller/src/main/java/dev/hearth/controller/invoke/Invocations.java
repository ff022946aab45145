package dev.hearth.controller.invoke;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.ActivationResponse;
import dev.hearth.common.id.TransactionId;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.controller.action.ActionName;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.namespace.Authenticator;
import dev.hearth.controller.namespace.Identity;
import dev.hearth.controller.web.ErrorAdvice;
import dev.hearth.controller.web.ErrorBody;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * An invocation, {@code POST /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}?blocking=&result=&timeout=}, from
 * what its request carries to the answer: 202 {@code {"activationId"}} when non-blocking or the wait ran out;
 * otherwise the activation (or only its result with {@code result=true}) with 200 on success, 502 on an
 * application or developer error, 500 on a platform error; errors in OpenWhisk's shape, answered by
 * {@link ErrorAdvice#answer} exactly as for any handler.
 *
 * <p>It knows no servlet: {@link InvokeEndpoint} hands it Tomcat's requests, and a gateway in the same JVM
 * may hand it its own (the standalone platform does). The caller is authenticated first (401 before anything
 * else, the body still unread), and each invocation is timed in {@code hearth.invocations} (tags
 * {@code status}, {@code blocking}).
 */
@Component
public class Invocations {
    static final String TIMER = "hearth.invocations";

    private final InvokeService invoker;
    private final Authenticator authenticator;
    private final ControllerProperties properties;
    private final MeterRegistry meters;

    Invocations(
            InvokeService invoker, Authenticator authenticator, ControllerProperties properties, MeterRegistry meters) {
        this.invoker = invoker;
        this.authenticator = authenticator;
        this.properties = properties;
        this.meters = meters;
    }

    /** The body of a request, read only once the caller is known, and bounded. */
    @FunctionalInterface
    public interface Body {
        /** The body's bytes; an {@code ApiException.TooLarge} when it has more than {@code maxBytes}. */
        byte[] read(long maxBytes);
    }

    /**
     * An answer: a status and the JSON bytes that go with it, and the activation id once one was assigned
     * ({@code x-openwhisk-activation-id}; null before).
     */
    public record Reply(int status, String activationId, byte[] body) {
        public static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";
        public static final String CONTENT_TYPE = "application/json";
    }

    /** Whether a request with this method and raw path (no query) is an invocation this class answers. */
    public static boolean isInvocation(String method, String rawPath) {
        return InvokeRoute.match(method, rawPath).isPresent();
    }

    /**
     * Answers the invocation a request asks for; never throws for a bad request.
     *
     * @param rawPath       the request's path as it came, not decoded ({@link #isInvocation} was true for it)
     * @param rawQuery      its query string as it came, or null
     * @param authorization its {@code Authorization} header, or null
     * @param tid           its transaction id
     */
    public Reply invoke(String rawPath, String rawQuery, String authorization, TransactionId tid, Body body) {
        long start = System.nanoTime();
        InvokeRoute route = InvokeRoute.match("POST", rawPath)
                .orElseThrow(() -> new IllegalArgumentException("not an invocation: " + rawPath));
        Map<String, String> query = InvokeRoute.query(rawQuery);
        boolean blocking = "true".equalsIgnoreCase(query.get("blocking"));
        String activationId = null; // once assigned, an error answer carries it too
        Reply reply;
        try {
            Checked checked = check(route, query, blocking, authorization, tid, body);
            activationId = checked.prepared().activationId();
            reply = answer(checked, tid);
        } catch (Exception e) {
            var error = ErrorAdvice.answer(e, tid, "POST", rawPath);
            reply = new Reply(error.getStatusCode().value(), activationId, Json.toBytes(error.getBody()));
        }
        Timer.builder(TIMER)
                .tag("status", Integer.toString(reply.status()))
                .tag("blocking", Boolean.toString(blocking))
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        return reply;
    }

    /** An invocation checked and given its activation id, with how its caller wants the answer. */
    private record Checked(InvokeService.Prepared prepared, Duration waitFor, boolean resultOnly) {}

    /** Authenticates, reads the bounded body and prepares the activation; throws what the caller did wrong. */
    private Checked check(
            InvokeRoute route,
            Map<String, String> query,
            boolean blocking,
            String authorization,
            TransactionId tid,
            Body body) {
        Identity identity = authenticator.authenticate(authorization);
        String namespace = identity.resolve(route.namespace());
        ActionName actionName = new ActionName(route.pkg(), route.name());
        boolean resultOnly = "true".equalsIgnoreCase(query.get("result"));
        Duration wait = blocking ? invoker.waitFor(query.get("timeout")) : Duration.ZERO;
        InvokeParameters params =
                InvokeParameters.read(body.read(properties.payloadMaxBytes().toBytes()));
        return new Checked(invoker.prepare(identity, namespace, actionName, params, blocking, tid), wait, resultOnly);
    }

    /** Sends the activation and answers with what came back within the wait. */
    private Reply answer(Checked checked, TransactionId tid) {
        String id = checked.prepared().activationId();
        return switch (invoker.run(checked.prepared(), checked.waitFor())) {
            case InvokeService.Outcome.Accepted a ->
                new Reply(
                        HttpStatus.ACCEPTED.value(),
                        id,
                        Json.toBytes(Json.object().put("activationId", a.activationId())));
            case InvokeService.Outcome.Completed c -> completed(c.completion(), checked.resultOnly(), tid, id);
        };
    }

    private static Reply completed(CompletionMessage completion, boolean resultOnly, TransactionId tid, String id) {
        Activation activation = completion.activation();
        if (activation == null || activation.response() == null) {
            return new Reply(
                    HttpStatus.INTERNAL_SERVER_ERROR.value(),
                    id,
                    Json.toBytes(
                            new ErrorBody("The activation failed in the platform and has no record.", tid.value())));
        }
        HttpStatus status = switch (activation.response().statusCode()) {
            case ActivationResponse.SUCCESS -> HttpStatus.OK;
            case ActivationResponse.APPLICATION_ERROR, ActivationResponse.DEVELOPER_ERROR -> HttpStatus.BAD_GATEWAY;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        byte[] bytes = resultOnly
                ? Json.toBytes(
                        activation.response().result() == null
                                ? Json.object()
                                : activation.response().result())
                : Json.toBytes(activation);
        return new Reply(status.value(), id, bytes);
    }
}
