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
import dev.hearth.controller.web.RequestBodies;
import dev.hearth.controller.web.TransactionIdFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * {@code POST /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}?blocking=&result=&timeout=}: 202
 * {@code {"activationId"}} when non-blocking or the wait ran out; otherwise the activation (or only
 * its result with {@code result=true}) with 200 on success, 502 on an application or developer
 * error, 500 on a platform error. Header {@code x-openwhisk-activation-id} once an id is assigned.
 *
 * <p>The one endpoint served outside Spring MVC: a servlet filter ahead of the others that answers the
 * invoke route ({@link InvokeRoute}) itself and passes every other request on. An invocation is the
 * platform's hottest call, and the layers it skips here — the MVC observation, the character-encoding,
 * form and request-context filters, the dispatcher's handler mapping, argument resolvers and message
 * converters — cost a warm model call ~0.3 ms of CPU on the cores its forward pass shares (docs/architecture.md,
 * "Measured", session 30). What they did is done here: the caller is authenticated first (401 before
 * anything else), errors are answered by {@link ErrorAdvice#answer} exactly as for any handler, the
 * transaction id is taken or made by {@link TransactionIdFilter#assign} whichever of the two filters runs
 * first, and each invocation is timed in {@code hearth.invocations} (tags {@code status}, {@code blocking})
 * in place of the observation's {@code http.server.requests}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvokeEndpoint extends HttpFilter {
    static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";
    static final String TIMER = "hearth.invocations";

    private final InvokeService invoker;
    private final Authenticator authenticator;
    private final ControllerProperties properties;
    private final MeterRegistry meters;

    InvokeEndpoint(
            InvokeService invoker, Authenticator authenticator, ControllerProperties properties, MeterRegistry meters) {
        this.invoker = invoker;
        this.authenticator = authenticator;
        this.properties = properties;
        this.meters = meters;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Optional<InvokeRoute> route = InvokeRoute.match(request.getMethod(), request.getRequestURI());
        if (route.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        TransactionId tid = TransactionIdFilter.assign(request, response);
        Map<String, String> query = InvokeRoute.query(request.getQueryString());
        boolean blocking = "true".equalsIgnoreCase(query.get("blocking"));
        Answer answer;
        try {
            answer = invoke(route.get(), query, blocking, request, response, tid);
        } catch (Exception e) {
            var error = ErrorAdvice.answer(e, request);
            answer = new Answer(error.getStatusCode().value(), Json.toBytes(error.getBody()));
        }
        response.setStatus(answer.status());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(answer.body().length);
        response.getOutputStream().write(answer.body());
        Timer.builder(TIMER)
                .tag("status", Integer.toString(answer.status()))
                .tag("blocking", Boolean.toString(blocking))
                .register(meters)
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    /** A status and the JSON bytes that go with it: written at once, with their length. */
    private record Answer(int status, byte[] body) {}

    private Answer invoke(
            InvokeRoute route,
            Map<String, String> query,
            boolean blocking,
            HttpServletRequest request,
            HttpServletResponse response,
            TransactionId tid) {
        Identity identity = authenticator.authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        String namespace = identity.resolve(route.namespace());
        ActionName actionName = new ActionName(route.pkg(), route.name());
        boolean resultOnly = "true".equalsIgnoreCase(query.get("result"));
        Duration wait = blocking ? invoker.waitFor(query.get("timeout")) : Duration.ZERO;
        InvokeParameters params = InvokeParameters.read(
                RequestBodies.read(request, properties.payloadMaxBytes().toBytes()));
        var prepared = invoker.prepare(identity, namespace, actionName, params, blocking, tid);
        response.setHeader(ACTIVATION_ID_HEADER, prepared.activationId());
        return switch (invoker.run(prepared, wait)) {
            case InvokeService.Outcome.Accepted a ->
                new Answer(
                        HttpStatus.ACCEPTED.value(), Json.toBytes(Json.object().put("activationId", a.activationId())));
            case InvokeService.Outcome.Completed c -> completed(c.completion(), resultOnly, tid);
        };
    }

    private static Answer completed(CompletionMessage completion, boolean resultOnly, TransactionId tid) {
        Activation activation = completion.activation();
        if (activation == null || activation.response() == null) {
            return new Answer(
                    HttpStatus.INTERNAL_SERVER_ERROR.value(),
                    Json.toBytes(
                            new ErrorBody("The activation failed in the platform and has no record.", tid.value())));
        }
        HttpStatus status = switch (activation.response().statusCode()) {
            case ActivationResponse.SUCCESS -> HttpStatus.OK;
            case ActivationResponse.APPLICATION_ERROR, ActivationResponse.DEVELOPER_ERROR -> HttpStatus.BAD_GATEWAY;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        byte[] body = resultOnly
                ? Json.toBytes(
                        activation.response().result() == null
                                ? Json.object()
                                : activation.response().result())
                : Json.toBytes(activation);
        return new Answer(status.value(), body);
    }
}
