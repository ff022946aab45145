package dev.hearth.cli.action;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code action list}: {@code GET /namespaces/{ns}/actions?limit=&skip=}, printed as wsk does: a
 * line {@code actions}, then per action its fully qualified name, version, {@code private} or
 * {@code shared}, and kind.
 */
@Command(name = "list", description = "list actions")
final class ActionListCommand extends ApiCommand {
    @Option(
            names = {"-l", "--limit"},
            paramLabel = "N",
            description = "at most N actions (default 30, max 200)")
    int limit = 30;

    @Option(
            names = {"-s", "--skip"},
            paramLabel = "N",
            description = "skip the first N actions")
    int skip;

    @Override
    public Integer call() {
        if (limit < 0 || skip < 0) {
            throw CliException.usage("--limit and --skip must not be negative");
        }
        ApiClient api = api();
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit);
        query.put("skip", skip);
        String path = "/namespaces/" + EntityName.segment(api.config().namespace()) + "/actions";
        JsonElement list = api.get(path, query).requireSuccess().json();
        out().println("actions");
        if (list.isJsonArray()) {
            for (JsonElement e : list.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    out().println(row(e.getAsJsonObject()));
                }
            }
        }
        return 0;
    }

    static String row(JsonObject action) {
        String qualified = "/" + Json.string(action, "namespace").orElse("_") + "/"
                + Json.string(action, "name").orElse("?");
        boolean shared = action.has("publish") && action.get("publish").getAsBoolean();
        String kind =
                Json.object(action, "exec").flatMap(x -> Json.string(x, "kind")).orElse("");
        return String.format(
                        "%-50s %-8s %-7s %s",
                        qualified, Json.string(action, "version").orElse(""), shared ? "shared" : "private", kind)
                .stripTrailing();
    }
}
