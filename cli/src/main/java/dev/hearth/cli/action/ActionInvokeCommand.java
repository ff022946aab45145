package dev.hearth.cli.action;

import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.ApiResponse;
import dev.hearth.cli.api.EntityName;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code action invoke NAME}: {@code POST /namespaces/{ns}/actions/{name}?blocking=&result=}
 * with the parameters as the body. Output, as wsk:
 *
 * <ul>
 *   <li>non-blocking: {@code ok: invoked /ns/NAME with id ID}
 *   <li>blocking: that line, then the activation as pretty JSON
 *   <li>{@code --result} (implies blocking): only the result as pretty JSON
 *   <li>202 on a blocking call (the wait ran out): {@code ok: invoked /ns/NAME, but the request has
 *       not yet finished, with id ID} and a hint to use {@code activation get ID}
 *   <li>502, or 500 with an activation (the action failed): the activation (or result) on stdout,
 *       {@code error: ...} on stderr, exit 1
 * </ul>
 */
@Command(name = "invoke", description = "invoke an action")
final class ActionInvokeCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin
    ParamOptions parameters = new ParamOptions();

    @Option(
            names = {"-b", "--blocking"},
            description = "wait for the result")
    boolean blocking;

    @Option(
            names = {"-r", "--result"},
            description = "print only the result (implies --blocking)")
    boolean result;

    @Override
    public Integer call() {
        ApiClient api = api();
        EntityName entity = EntityName.parse(name, api.config().namespace());
        boolean wait = blocking || result;
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("blocking", wait);
        query.put("result", result);
        JsonObject body = parameters.object();
        ApiResponse response = api.send("POST", entity.actionPath(), query, body);
        Optional<JsonObject> json = response.jsonObject();
        String id = json.flatMap(o -> Json.string(o, "activationId")).orElse(response.activationIdHeader());
        String invoked = "ok: invoked " + entity.qualified();

        if (response.status() == 202) {
            if (!wait) {
                out().println(invoked + " with id " + id);
            } else {
                out().println(invoked + ", but the request has not yet finished, with id " + id);
                out().println("run 'hearth activation get " + id + "' to see the activation when it finishes");
            }
            return 0;
        }
        if (response.isSuccess()) {
            if (!result) {
                out().println(invoked + " with id " + id);
            }
            out().println(Json.pretty(response.json()));
            return 0;
        }
        if (wait && isFailedActivation(response, json)) {
            if (!result) {
                out().println(invoked + " with id " + id);
            }
            out().println(Json.pretty(json.orElseThrow()));
            out().flush();
            String status = json.flatMap(o -> Json.object(o, "response"))
                    .flatMap(r -> Json.string(r, "status"))
                    .orElse("failed");
            throw new CliException(
                    "action " + entity.qualified() + " " + describe(status) + (id == null ? "" : " (id " + id + ")"),
                    CliException.FAILURE);
        }
        throw response.error();
    }

    /**
     * The action ran and failed: a 502 or 500 carrying an activation record, or (with
     * {@code --result}) a 502 carrying a result that is not the platform's own error body.
     */
    private boolean isFailedActivation(ApiResponse response, Optional<JsonObject> json) {
        if (json.isEmpty() || response.status() != 502 && response.status() != 500) {
            return false;
        }
        JsonObject body = json.get();
        if (body.has("activationId") && body.has("response")) {
            return true;
        }
        boolean platformError = body.keySet().equals(java.util.Set.of("error", "code"));
        return result && response.status() == 502 && !platformError;
    }

    private static String describe(String status) {
        return switch (status) {
            case "application error" -> "ended with an application error";
            case "action developer error" -> "ended with a developer error";
            case "whisk internal error" -> "ended with an internal error";
            default -> "failed: " + status;
        };
    }
}
