package dev.hearth.invoker.container;

import tools.jackson.databind.JsonNode;

/**
 * What the runtime proxy reported about an accepted {@code /init} ({@code "timings"} in its answer):
 * for a model kind {@code engineInitMs} and {@code modelLoadMs}, for {@code java} {@code loadMs} (the
 * action's jar and class). Each is null when the proxy did not report it.
 */
public record InitTimings(Long engineInitMs, Long modelLoadMs, Long loadMs) {

    public static final InitTimings NONE = new InitTimings(null, null, null);

    /** From the {@code /init} answer's body; absent or malformed numbers stay null. */
    public static InitTimings of(JsonNode body) {
        JsonNode t = body == null ? null : body.get("timings");
        if (t == null || !t.isObject()) {
            return NONE;
        }
        return new InitTimings(millis(t, "engineInitMs"), millis(t, "modelLoadMs"), millis(t, "loadMs"));
    }

    private static Long millis(JsonNode timings, String key) {
        JsonNode n = timings.get(key);
        return n != null && n.isNumber() ? Math.round(n.asDouble()) : null;
    }
}
