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
 * {@code __OW_DEADLINE}, ...), as OpenWhisk's Java runtime does.
 */
record RunRequest(JsonObject value, Map<String, String> context) {

    static final String CONTEXT_PREFIX = "__OW_";

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
        return new RunRequest(params, context);
    }
}
