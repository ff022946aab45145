package dev.hearth.controller.invoke;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.ActivationResponse;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.controller.action.ActionName;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.namespace.Identity;
import dev.hearth.controller.web.ErrorBody;
import dev.hearth.controller.web.RequestBodies;
import dev.hearth.controller.web.TransactionIdFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}?blocking=&result=&timeout=}: 202
 * {@code {"activationId"}} when non-blocking or the wait ran out; otherwise the activation (or only
 * its result with {@code result=true}) with 200 on success, 502 on an application or developer
 * error, 500 on a platform error. Header {@code x-openwhisk-activation-id} once an id is assigned.
 */
@RestController
class InvokeController {
    static final String ACTIVATION_ID_HEADER = "x-openwhisk-activation-id";

    private final InvokeService invoker;
    private final ControllerProperties properties;

    InvokeController(InvokeService invoker, ControllerProperties properties) {
        this.invoker = invoker;
        this.properties = properties;
    }

    @PostMapping({"/api/v1/namespaces/{ns}/actions/{name}", "/api/v1/namespaces/{ns}/actions/{pkg}/{name}"})
    ResponseEntity<?> invoke(
            Identity identity,
            @PathVariable String ns,
            @PathVariable(required = false) String pkg,
            @PathVariable String name,
            @RequestParam(defaultValue = "false") String blocking,
            @RequestParam(defaultValue = "false") String result,
            @RequestParam(required = false) String timeout,
            HttpServletRequest request,
            HttpServletResponse response) {
        String namespace = identity.resolve(ns);
        ActionName actionName = new ActionName(pkg, name);
        boolean isBlocking = "true".equalsIgnoreCase(blocking);
        boolean resultOnly = "true".equalsIgnoreCase(result);
        Duration wait = isBlocking ? invoker.waitFor(timeout) : Duration.ZERO;
        InvokeParameters params = InvokeParameters.read(
                RequestBodies.read(request, properties.payloadMaxBytes().toBytes()));
        var prepared =
                invoker.prepare(identity, namespace, actionName, params, isBlocking, TransactionIdFilter.of(request));
        response.setHeader(ACTIVATION_ID_HEADER, prepared.activationId());
        return switch (invoker.run(prepared, wait)) {
            case InvokeService.Outcome.Accepted a ->
                ResponseEntity.status(HttpStatus.ACCEPTED)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(Json.object().put("activationId", a.activationId()));
            case InvokeService.Outcome.Completed c -> completed(c.completion(), resultOnly, request);
        };
    }

    private static ResponseEntity<?> completed(
            CompletionMessage completion, boolean resultOnly, HttpServletRequest request) {
        Activation activation = completion.activation();
        if (activation == null || activation.response() == null) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(new ErrorBody(
                            "The activation failed in the platform and has no record.",
                            TransactionIdFilter.of(request).value()));
        }
        HttpStatus status = switch (activation.response().statusCode()) {
            case ActivationResponse.SUCCESS -> HttpStatus.OK;
            case ActivationResponse.APPLICATION_ERROR, ActivationResponse.DEVELOPER_ERROR -> HttpStatus.BAD_GATEWAY;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        // Bytes of known length: Tomcat writes headers and body at once, with Content-Length, and the
        // gateway passes the answer on in one write instead of streaming chunks.
        byte[] body = resultOnly
                ? Json.toBytes(
                        activation.response().result() == null
                                ? Json.object()
                                : activation.response().result())
                : Json.toBytes(activation);
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .contentLength(body.length)
                .body(body);
    }
}
