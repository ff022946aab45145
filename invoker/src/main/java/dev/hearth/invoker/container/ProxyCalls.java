package dev.hearth.invoker.container;

import dev.hearth.common.http.HttpReply;
import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The runtime proxy's answers and management calls, the same whatever runs the proxy (a process, a
 * Docker container): reading a reply body, its error text and inference-time header, and
 * {@code /engine}, {@code /preload}, {@code /offload} over the container's own HTTP client.
 */
public final class ProxyCalls {
    /** The header a model's {@code /run} answer carries its forward-pass time in. */
    public static final String INFERENCE_HEADER = "X-Hearth-Inference-Ms";

    /**
     * The header a {@code /run} answer names the streams in whose end-of-activation sentinel follows it
     * ({@code stdout}, {@code stderr}, both comma-separated, or {@code none}); without it, both follow.
     */
    public static final String LOGS_HEADER = "X-Hearth-Logs";

    /** Which streams of a container a {@code /run} answer's sentinel follows on. */
    public record Sentinels(boolean stdout, boolean stderr) {
        /** What an answer without {@link #LOGS_HEADER} (a refusal, a runtime that does not send it) is followed by. */
        public static final Sentinels BOTH = new Sentinels(true, true);
    }

    /**
     * The streams {@code response} says a sentinel follows on: a stream nobody printed on during the
     * activation gets none, and its logs need no waiting. An unreadable header counts as both.
     */
    public static Sentinels sentinels(HttpReply response) {
        Optional<String> header = response.header(LOGS_HEADER);
        if (header.isEmpty()) {
            return Sentinels.BOTH;
        }
        boolean out = false;
        boolean err = false;
        for (String part : header.get().split(",")) {
            switch (part.strip()) {
                case "stdout" -> out = true;
                case "stderr" -> err = true;
                case "none" -> {}
                default -> {
                    return Sentinels.BOTH;
                }
            }
        }
        return new Sentinels(out, err);
    }

    /** How a container posts to its proxy. */
    public interface Post {
        HttpReply post(String path, byte[] body, Duration timeout) throws IOException;

        /** The container is gone: close the connections kept to its address. */
        void forget();
    }

    /** JSON posts to the proxy at {@code host:port} over {@code http}. */
    public static Post to(KeptAliveHttp http, String host, int port) {
        return new Post() {
            @Override
            public HttpReply post(String path, byte[] body, Duration timeout) throws IOException {
                return http.post(host, port, path, "application/json", body, timeout);
            }

            @Override
            public void forget() {
                http.forget(host, port);
            }
        };
    }

    private ProxyCalls() {}

    /** The reply as a JSON object; anything else becomes an {@code error} object quoting it. */
    public static JsonNode body(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode node = Json.tree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (RuntimeException e) {
            // below
        }
        return Json.object().put("error", "The action did not produce a valid JSON response: " + text);
    }

    /** The reply's {@code error} text, or {@code fallback} with the reply. */
    public static String errorMessage(byte[] bytes, String fallback) {
        JsonNode node = body(bytes);
        JsonNode error = node.get("error");
        return error != null && error.isString() ? error.asString() : fallback + ": " + node;
    }

    /** The inference time a model's answer reported, if it is a finite non-negative number. */
    public static Double inferenceMs(HttpReply response) {
        Optional<String> header = response.header(INFERENCE_HEADER);
        try {
            return header.map(h -> Double.valueOf(h.strip()))
                    .filter(d -> d >= 0 && Double.isFinite(d))
                    .orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {@link Container#prewarm}: for model kinds, {@code /engine} (within 2 minutes: a stem cell warms up
     * in the background, where a busy machine leaves it little CPU).
     */
    public static void prewarm(String id, Post post, String kind) throws ContainerException {
        if (ContainerFactory.isModel(kind)) {
            call(id, post, "/engine", "{}".getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(2));
        }
    }

    /** {@link Container#preload}. */
    public static PreloadResult preload(
            String id, Post post, Path codePath, String kind, String digest, Duration timeout)
            throws ContainerException {
        ObjectNode root = Json.object();
        root.putObject("value")
                .put("kind", kind)
                .put("codePath", codePath.toAbsolutePath().toString())
                .put("digest", digest);
        return PreloadResult.of(call(id, post, "/preload", Json.toBytes(root), timeout));
    }

    /** {@link Container#offload}. */
    public static boolean offload(String id, Post post, String digest, Duration timeout) throws ContainerException {
        ObjectNode root = Json.object();
        root.putObject("value").put("digest", digest);
        return call(id, post, "/offload", Json.toBytes(root), timeout)
                .path("offloaded")
                .asBoolean(false);
    }

    /** A management call: 200 and its JSON body, or {@link ContainerException} with the proxy's error. */
    private static JsonNode call(String id, Post post, String path, byte[] body, Duration timeout)
            throws ContainerException {
        HttpReply response;
        try {
            response = post.post(path, body, timeout);
        } catch (IOException e) {
            throw new ContainerException("container " + id + " failed " + path + ": " + e, e);
        }
        if (response.status() != 200) {
            throw new ContainerException(errorMessage(
                    response.body(), "container " + id + " refused " + path + " (" + response.status() + ")"));
        }
        return body(response.body());
    }
}
