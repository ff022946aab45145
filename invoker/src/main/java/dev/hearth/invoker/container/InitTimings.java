package dev.hearth.invoker.container;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the runtime proxy reported about an accepted {@code /init}: its {@code "timings"} — for a model
 * kind {@code engineInitMs} and {@code modelLoadMs}, for {@code java} {@code loadMs} (the action's jar
 * and class), each null when not reported — and, for a model loaded through the tensor store, the
 * store files it maps ({@code weights.storeDigests}: the container's tensor references; empty otherwise),
 * and whether the proxy bound a pre-loaded model ({@code timings.preloaded}).
 */
public record InitTimings(
        Long engineInitMs, Long modelLoadMs, Long loadMs, List<String> storeDigests, boolean preloaded) {

    public static final InitTimings NONE = new InitTimings(null, null, null);

    public InitTimings {
        storeDigests = storeDigests == null ? List.of() : List.copyOf(storeDigests);
    }

    public InitTimings(Long engineInitMs, Long modelLoadMs, Long loadMs) {
        this(engineInitMs, modelLoadMs, loadMs, List.of(), false);
    }

    public InitTimings(Long engineInitMs, Long modelLoadMs, Long loadMs, List<String> storeDigests) {
        this(engineInitMs, modelLoadMs, loadMs, storeDigests, false);
    }

    /** From the {@code /init} answer's body; absent or malformed numbers stay null. */
    public static InitTimings of(JsonNode body) {
        JsonNode t = body == null ? null : body.get("timings");
        List<String> digests = new ArrayList<>();
        JsonNode weights = body == null ? null : body.get("weights");
        JsonNode named = weights == null ? null : weights.get("storeDigests");
        if (named != null && named.isArray()) {
            for (JsonNode d : named) {
                if (d.isString() && d.asString().matches("[0-9a-f]{64}")) {
                    digests.add(d.asString());
                }
            }
        }
        if (t == null || !t.isObject()) {
            return new InitTimings(null, null, null, digests);
        }
        return new InitTimings(
                millis(t, "engineInitMs"),
                millis(t, "modelLoadMs"),
                millis(t, "loadMs"),
                digests,
                t.path("preloaded").asBoolean(false));
    }

    private static Long millis(JsonNode timings, String key) {
        JsonNode n = timings.get(key);
        return n != null && n.isNumber() ? Math.round(n.asDouble()) : null;
    }
}
