package dev.hearth.cli.activation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.CliException;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code activation list [NAME]}: {@code GET /namespaces/{ns}/activations?docs=true&limit=&skip=
 * [&since=][&upto=][&name=]}, printed as {@link ActivationTable}.
 */
@Command(name = "list", description = "list activations, newest first")
final class ActivationListCommand extends ApiCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME", description = "only activations of this action")
    String name;

    @Option(
            names = {"-l", "--limit"},
            paramLabel = "N",
            description = "at most N activations (default 30, max 200)")
    int limit = 30;

    @Option(
            names = {"-s", "--skip"},
            paramLabel = "N",
            description = "skip the newest N activations")
    int skip;

    @Option(
            names = "--since",
            paramLabel = "MS",
            description = "only activations that started after this epoch time in ms")
    Long since;

    @Option(
            names = "--upto",
            paramLabel = "MS",
            description = "only activations that started before this epoch time in ms")
    Long upto;

    @Override
    public Integer call() {
        if (limit < 0 || skip < 0) {
            throw CliException.usage("--limit and --skip must not be negative");
        }
        ApiClient api = api();
        String namespace = api.config().namespace();
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("docs", true);
        query.put("limit", limit);
        query.put("skip", skip);
        query.put("since", since);
        query.put("upto", upto);
        if (name != null) {
            EntityName entity = EntityName.parse(name, namespace);
            namespace = entity.namespace();
            query.put("name", entity.name());
        }
        JsonElement list =
                api.get(activationsPath(namespace), query).requireSuccess().json();
        ActivationTable.lines(objects(list), environment().zone()).forEach(out()::println);
        return 0;
    }

    static String activationsPath(String namespace) {
        return "/namespaces/" + EntityName.segment(namespace) + "/activations";
    }

    static List<JsonObject> objects(JsonElement list) {
        List<JsonObject> objects = new ArrayList<>();
        if (list.isJsonArray()) {
            for (JsonElement e : list.getAsJsonArray()) {
                if (e.isJsonObject()) {
                    objects.add(e.getAsJsonObject());
                }
            }
        }
        return objects;
    }
}
