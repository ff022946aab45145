package dev.hearth.proxy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * The {@code value} of {@code POST /preload}: a {@code djl:pytorch} bundle ({@code codePath}, an absolute
 * path to the zip or extracted directory) and its {@code digest} (the lowercase hex SHA-256 the invoker
 * verified), which names the pre-load: {@code /offload} and a later {@code /init} refer to it by digest.
 * Every defect is a 400: the invoker built the request, not the function's developer.
 */
record PreloadRequest(String digest, String codePath) {

    static PreloadRequest parse(JsonObject body) throws ProxyError {
        JsonObject v = value(body, "preload");
        String kind = string(v, "kind", "preload");
        if (!InitRequest.DJL_PYTORCH.equals(kind)) {
            throw ProxyError.badRequest("The preload request's \"kind\" must be \"djl:pytorch\", got "
                    + (kind == null ? "none" : kind) + ".");
        }
        String codePath = string(v, "codePath", "preload");
        if (codePath == null || codePath.isEmpty()) {
            throw ProxyError.badRequest("The preload request needs a \"codePath\": the bundle on local disk.");
        }
        if (!Path.of(codePath).isAbsolute()) {
            throw ProxyError.badRequest("The preload request's \"codePath\" must be an absolute path: " + codePath);
        }
        return new PreloadRequest(digest(v, "preload"), codePath);
    }

    /** The {@code digest} of {@code POST /offload}'s {@code value}. */
    static String parseOffload(JsonObject body) throws ProxyError {
        return digest(value(body, "offload"), "offload");
    }

    private static JsonObject value(JsonObject body, String request) throws ProxyError {
        JsonElement value = body.get("value");
        if (value == null || !value.isJsonObject()) {
            throw ProxyError.badRequest("The " + request + " request needs a \"value\" object.");
        }
        return value.getAsJsonObject();
    }

    private static String digest(JsonObject v, String request) throws ProxyError {
        String digest = string(v, "digest", request);
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw ProxyError.badRequest(
                    "The " + request + " request needs a \"digest\": the bundle's SHA-256 in lowercase hex.");
        }
        return digest;
    }

    private static String string(JsonObject v, String key, String request) throws ProxyError {
        JsonElement e = v.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ProxyError.badRequest("The " + request + " request's \"" + key + "\" must be a string.");
        }
        return e.getAsString();
    }
}
