package dev.hearth.proxy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The body of {@code POST /run}: the action's parameters ({@code value}, {@code {}} when absent) and the
 * activation context, which is every other top-level key turned into a property named {@code __OW_} plus
 * the upper-cased key ({@code namespace} to {@code __OW_NAMESPACE}, {@code deadline} to
 * {@code __OW_DEADLINE}, ...), as OpenWhisk's Java runtime does. Hearth's invoker adds {@code cpu_threads}:
 * the threads to compute on (its split of the cores between the activations running at once); a model
 * proxy runs the forward pass on that many intra-op threads, a Java action may read it as
 * {@code __OW_CPU_THREADS}. Absent: 0, the count stays as it is.
 */
record RunRequest(JsonObject value, Map<String, String> context, int cpuThreads) {

    static final String CONTEXT_PREFIX = "__OW_";

    /** More threads than any machine here has cores is a mistake, not a request. */
    static final int MAX_THREADS = 1024;

    static RunRequest parse(JsonObject body) throws ProxyError {
        JsonElement value = body.get("value");
        JsonObject params;
        if (value == null || value.isJsonNull()) {
            params = new JsonObject();
        } else if (value.isJsonObject()) {
            params = value.getAsJsonObject();
        } else {
            throw ProxyError.badRequest("The run request's \"value\" must be a JSON object.");
        }
        Map<String, String> context = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : body.entrySet()) {
            if (!"value".equals(e.getKey())) {
                String text = InitRequest.asText(e.getValue());
                if (text != null) {
                    context.put(CONTEXT_PREFIX + e.getKey().toUpperCase(Locale.ROOT), text);
                }
            }
        }
        return new RunRequest(params, context, cpuThreads(body.get("cpu_threads")));
    }

    private static int cpuThreads(JsonElement e) throws ProxyError {
        if (e == null || e.isJsonNull()) {
            return 0;
        }
        try {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                int threads = e.getAsInt();
                if (threads >= 1 && threads <= MAX_THREADS && threads == e.getAsDouble()) {
                    return threads;
                }
            }
        } catch (NumberFormatException ignored) {
            // falls through to the refusal
        }
        throw ProxyError.badRequest("The run request's \"cpu_threads\" must be a whole number from 1 to " + MAX_THREADS
                + ", not " + e + ".");
    }
}
