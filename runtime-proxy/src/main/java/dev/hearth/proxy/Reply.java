package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.util.Map;

/** An HTTP status, a JSON object body and extra response headers (usually none). */
record Reply(int status, JsonObject body, Map<String, String> headers) {

    Reply(int status, JsonObject body) {
        this(status, body, Map.of());
    }

    static Reply ok(JsonObject body) {
        return new Reply(200, body);
    }

    static Reply error(int status, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        return new Reply(status, body);
    }
}
