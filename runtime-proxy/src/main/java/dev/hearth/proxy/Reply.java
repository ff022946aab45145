package dev.hearth.proxy;

import com.google.gson.JsonObject;

/** An HTTP status and a JSON object body. */
record Reply(int status, JsonObject body) {

    static Reply ok(JsonObject body) {
        return new Reply(200, body);
    }

    static Reply error(int status, String message) {
        JsonObject body = new JsonObject();
        body.addProperty("error", message);
        return new Reply(status, body);
    }
}
