package dev.hearth.cli.activation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.CliEnvironment;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code activation poll [NAME] [--exit SECONDS]}, as wsk: every second, list the activations
 * that started since polling began ({@code ?docs=true&since=}) and print each new one, oldest
 * first, as {@code Activation: 'name' (id)} followed by its logs as a pretty JSON array. Errors
 * while polling are printed as warnings and polling goes on; {@code --exit} stops after that many
 * seconds (0, the default, polls until interrupted).
 */
@Command(name = "poll", description = "poll for new activations and print their logs")
final class ActivationPollCommand extends ApiCommand {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "only activations of this action")
    String name;

    @Option(
            names = {"-e", "--exit"},
            paramLabel = "SECONDS",
            description = "stop polling after SECONDS")
    int exitAfter;

    @Override
    public Integer call() {
        CliEnvironment environment = environment();
        ApiClient api = api();
        String namespace = api.config().namespace();
        String filter = null;
        if (name != null) {
            EntityName entity = EntityName.parse(name, namespace);
            namespace = entity.namespace();
            filter = entity.name();
        }
        out().println("Enter Ctrl-c to exit.");
        out().println("Polling for activation logs");
        out().flush();
        Instant began = environment.clock().instant();
        Set<String> seen = new HashSet<>();
        while (exitAfter <= 0
                || Duration.between(began, environment.clock().instant()).getSeconds() < exitAfter) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("docs", true);
            query.put("limit", 200);
            query.put("since", began.toEpochMilli());
            query.put("name", filter);
            try {
                List<JsonObject> activations =
                        ActivationListCommand.objects(api.get(ActivationListCommand.activationsPath(namespace), query)
                                .requireSuccess()
                                .json());
                for (JsonObject activation : activations.reversed()) {
                    String id = Json.string(activation, "activationId").orElse(null);
                    if (id != null && seen.add(id)) {
                        print(activation, id);
                    }
                }
            } catch (CliException failure) {
                err().println("warning: " + failure.getMessage());
                err().flush();
            }
            try {
                environment.sleeper().sleep(INTERVAL);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return 0;
    }

    private void print(JsonObject activation, String id) {
        out().println();
        out().println("Activation: '" + Json.string(activation, "name").orElse("?") + "' (" + id + ")");
        JsonArray logs = Json.array(activation, "logs");
        out().println(Json.pretty(logs));
        out().flush();
    }
}
