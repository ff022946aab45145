package dev.hearth.cli.activation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code activation get|result|logs (ID | --last)}: one activation record, its result or its
 * logs. {@code --last} asks for the newest activation first ({@code ?limit=1}).
 */
final class ActivationRecordCommands {
    private ActivationRecordCommands() {}

    abstract static class ById extends ApiCommand {
        @Parameters(arity = "0..1", paramLabel = "ID", description = "activation id")
        String id;

        @Option(
                names = {"-l", "--last"},
                description = "use the most recent activation")
        boolean last;

        /** The record (or sub-resource, e.g. {@code /logs}) of the chosen activation. */
        JsonElement fetch(ApiClient api, String suffix) {
            String namespace = api.config().namespace();
            String activationId = resolveId(api, namespace);
            String path =
                    ActivationListCommand.activationsPath(namespace) + "/" + EntityName.segment(activationId) + suffix;
            return api.get(path, Map.of()).requireSuccess().json();
        }

        private String resolveId(ApiClient api, String namespace) {
            if (id != null && last) {
                throw CliException.usage("give either an activation ID or --last, not both");
            }
            if (id != null) {
                return id;
            }
            if (!last) {
                throw CliException.usage("give an activation ID or --last");
            }
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("limit", 1);
            query.put("skip", 0);
            List<JsonObject> newest =
                    ActivationListCommand.objects(api.get(ActivationListCommand.activationsPath(namespace), query)
                            .requireSuccess()
                            .json());
            id = newest.stream()
                    .findFirst()
                    .flatMap(a -> Json.string(a, "activationId"))
                    .orElseThrow(() -> new CliException("there are no activations yet", CliException.FAILURE));
            return id;
        }
    }

    /** Prints {@code ok: got activation ID} and the record as pretty JSON. */
    @Command(name = "get", description = "get an activation record")
    static final class Get extends ById {
        @Override
        public Integer call() {
            JsonElement activation = fetch(api(), "");
            out().println("ok: got activation " + id);
            out().println(Json.pretty(activation));
            return 0;
        }
    }

    /** Prints the result as pretty JSON. */
    @Command(name = "result", description = "get the result of an activation")
    static final class Result extends ById {
        @Override
        public Integer call() {
            JsonElement response = fetch(api(), "/result");
            JsonElement result =
                    response.isJsonObject() && response.getAsJsonObject().has("result")
                            ? response.getAsJsonObject().get("result")
                            : response;
            out().println(Json.pretty(result));
            return 0;
        }
    }

    /** Prints the log lines, one per line; {@code --strip} leaves out timestamp and stream. */
    @Command(name = "logs", description = "get the logs of an activation")
    static final class Logs extends ById {
        @Option(
                names = {"-r", "--strip"},
                description = "print only the text of each line")
        boolean strip;

        @Override
        public Integer call() {
            JsonElement body = fetch(api(), "/logs");
            JsonObject holder = body.isJsonObject() ? body.getAsJsonObject() : new JsonObject();
            for (JsonElement line : Json.array(holder, "logs")) {
                String text = line.isJsonPrimitive() ? line.getAsString() : Json.compact(line);
                out().println(strip ? LogLines.strip(text) : text);
            }
            return 0;
        }
    }
}
