package dev.hearth.invoker.container;

import dev.hearth.common.json.Json;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** The {@code value} of {@code /init}: the code is passed as a local path ({@code codePath}). */
public record InitRequest(String name, String main, Path codePath, Map<String, String> env) {
    public InitRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    /** {@code {"value": {...}}} as the proxy expects it. */
    public ObjectNode toJson() {
        ObjectNode root = Json.object();
        ObjectNode value = root.putObject("value");
        value.put("name", name);
        value.put("main", main);
        value.put("binary", true);
        value.put("codePath", codePath.toAbsolutePath().toString());
        ObjectNode envNode = value.putObject("env");
        env.forEach(envNode::put);
        return root;
    }
}
