package dev.hearth.invoker.container;

import dev.hearth.common.json.Json;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code value} of {@code /init}: the code is passed as a local path ({@code codePath}: a jar for
 * {@code java}, an extracted bundle directory (or zip) for a model kind), {@code kind} tells the proxy
 * which; {@code digest} (may be null) is the code's SHA-256, the key of the model's tensor index.
 */
public record InitRequest(
        String name, String main, Path codePath, Map<String, String> env, String kind, String digest) {
    public InitRequest {
        env = env == null ? Map.of() : Map.copyOf(env);
        kind = kind == null ? ContainerFactory.JAVA : kind;
    }

    public InitRequest(String name, String main, Path codePath, Map<String, String> env, String kind) {
        this(name, main, codePath, env, kind, null);
    }

    /** A {@code java} action. */
    public InitRequest(String name, String main, Path codePath, Map<String, String> env) {
        this(name, main, codePath, env, ContainerFactory.JAVA);
    }

    /** {@code {"value": {...}}} as the proxy expects it. */
    public ObjectNode toJson() {
        ObjectNode root = Json.object();
        ObjectNode value = root.putObject("value");
        value.put("name", name);
        value.put("kind", kind);
        if (main != null) {
            value.put("main", main);
        }
        value.put("binary", true);
        value.put("codePath", codePath.toAbsolutePath().toString());
        if (digest != null) {
            value.put("digest", digest);
        }
        ObjectNode envNode = value.putObject("env");
        env.forEach(envNode::put);
        return root;
    }
}
