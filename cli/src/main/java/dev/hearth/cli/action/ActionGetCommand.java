package dev.hearth.cli.action;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.Json;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code action get NAME}: prints {@code ok: got action NAME} and the action as pretty JSON; with
 * {@code --summary}, {@code action /ns/name} and its parameter names as wsk does.
 */
@Command(name = "get", description = "get an action")
final class ActionGetCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(
            names = {"-s", "--summary"},
            description = "print a summary instead of the JSON")
    boolean summary;

    @Override
    public Integer call() {
        ApiClient api = api();
        EntityName entity = EntityName.parse(name, api.config().namespace());
        JsonElement action = api.get(entity.actionPath(), Map.of("code", "false"))
                .requireSuccess()
                .json();
        if (summary && action.isJsonObject()) {
            out().println(summary(action.getAsJsonObject(), entity));
        } else {
            out().println("ok: got action " + name);
            out().println(Json.pretty(action));
        }
        return 0;
    }

    static String summary(JsonObject action, EntityName entity) {
        String namespace = Json.string(action, "namespace").orElse(entity.namespace());
        String actionName = Json.string(action, "name").orElse(entity.name());
        List<String> keys = new ArrayList<>();
        for (JsonElement p : Json.array(action, "parameters")) {
            if (p.isJsonObject()) {
                Json.string(p.getAsJsonObject(), "key").ifPresent(keys::add);
            }
        }
        String description = Json.annotation(action, "description")
                .map(JsonElement::getAsString)
                .map(d -> ": " + d)
                .orElse("");
        return "action /" + namespace + "/" + actionName + description + "\n   (parameters: "
                + (keys.isEmpty() ? "none defined" : String.join(", ", keys)) + ")";
    }
}
