package dev.hearth.cli.action;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hearth.cli.CliException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Builds the body of {@code PUT /namespaces/{ns}/actions/{name}}:
 * {@code {"exec":{"kind","code","binary","main"},"parameters":[..],"annotations":[..],
 * "limits":{"timeout","memory","logs"}}}. Members not given are left out, so an update changes
 * only what was given.
 *
 * <p>Kind: {@code --kind}, else from the artifact ({@code .jar} is {@code java}). Code: source
 * files ({@code .java}, {@code .js}, {@code .py}, ...) go as text, anything else (jars, model
 * bundles) base64 with {@code binary: true}.
 */
public final class ActionBody {
    private static final Set<String> TEXT_EXTENSIONS =
            Set.of("java", "js", "py", "go", "rb", "php", "swift", "sh", "txt");

    /**
     * Artifacts larger than this go through Hearth's streaming upload ({@code POST
     * /namespaces/{ns}/artifacts}) and the action refers to them by digest; smaller ones travel inline
     * as base64, which any OpenWhisk server understands.
     */
    public static final long INLINE_MAX_BYTES = 16L * 1024 * 1024;

    private ActionBody() {}

    /** The limits given on the command line; null members are left out. */
    public record Limits(Integer timeoutMs, Integer memoryMb, Integer logsMb) {
        boolean isEmpty() {
            return timeoutMs == null && memoryMb == null && logsMb == null;
        }
    }

    /**
     * @param artifact the code, or null to leave {@code exec} unchanged (update only)
     * @param uploadedDigest the SHA-256 under which {@code artifact} was uploaded, or null to send it inline
     * @param kind {@code --kind}, or null to infer it from the artifact
     * @param main {@code --main}, or null
     * @param parameters parameters, or null to leave them out
     * @param annotations annotations, or null to leave them out
     */
    public static JsonObject build(
            Path artifact,
            String uploadedDigest,
            String kind,
            String main,
            JsonArray parameters,
            JsonArray annotations,
            Limits limits) {
        JsonObject body = new JsonObject();
        if (artifact != null) {
            body.add("exec", exec(artifact, uploadedDigest, kind, main));
        } else if (kind != null || main != null) {
            throw CliException.usage("--kind and --main need an ARTIFACT");
        }
        if (parameters != null) {
            body.add("parameters", parameters);
        }
        if (annotations != null) {
            body.add("annotations", annotations);
        }
        if (limits != null && !limits.isEmpty()) {
            JsonObject l = new JsonObject();
            if (limits.timeoutMs() != null) {
                l.addProperty("timeout", limits.timeoutMs());
            }
            if (limits.memoryMb() != null) {
                l.addProperty("memory", limits.memoryMb());
            }
            if (limits.logsMb() != null) {
                l.addProperty("logs", limits.logsMb());
            }
            body.add("limits", l);
        }
        return body;
    }

    static JsonObject exec(Path artifact, String uploadedDigest, String kind, String main) {
        String extension = extension(artifact);
        String resolvedKind = kind != null ? kind : inferKind(artifact, extension);
        if (resolvedKind.startsWith("java") && (main == null || main.isBlank())) {
            throw CliException.usage("Java actions need --main with the fully qualified name of the main class");
        }
        if (uploadedDigest != null) {
            JsonObject exec = new JsonObject();
            exec.addProperty("kind", resolvedKind);
            exec.addProperty("digest", uploadedDigest);
            exec.addProperty("binary", true);
            if (main != null) {
                exec.addProperty("main", main);
            }
            return exec;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(artifact);
        } catch (IOException unreadable) {
            throw CliException.usage("cannot read artifact " + artifact + ": " + unreadable.getMessage());
        }
        boolean binary = !TEXT_EXTENSIONS.contains(extension);
        JsonObject exec = new JsonObject();
        exec.addProperty("kind", resolvedKind);
        exec.addProperty(
                "code", binary ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.UTF_8));
        exec.addProperty("binary", binary);
        if (main != null) {
            exec.addProperty("main", main);
        }
        return exec;
    }

    private static String inferKind(Path artifact, String extension) {
        if (extension.equals("jar")) {
            return "java";
        }
        throw CliException.usage(
                "cannot tell the kind of " + artifact.getFileName() + "; give --kind (e.g. java, djl:pytorch)");
    }

    private static String extension(Path artifact) {
        String name = artifact.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
