package dev.hearth.proxy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code value} of {@code POST /init}: {@code name}, {@code main} ({@code Class} or
 * {@code Class#method}), the jar as {@code code} (base64) or Hearth's {@code codePath} (an absolute path
 * on local disk, preferred when both are present), and {@code env}. {@code binary} is accepted and
 * ignored: a {@code java} action is always a jar. {@code kind} is {@code java} (the default) or
 * {@code djl:pytorch}, whose code is a model bundle (zip or extracted directory) and which needs no
 * {@code main}. Hearth's {@code digest} (optional, the SHA-256 of the code the invoker verified) keys
 * a model's tensor index in the machine's tensor store.
 */
record InitRequest(
        String kind,
        String name,
        String mainClass,
        String method,
        String code,
        String codePath,
        String digest,
        Map<String, String> env) {

    static final String DEFAULT_METHOD = "main";
    static final String JAVA = "java";
    static final String DJL_PYTORCH = "djl:pytorch";

    boolean isModel() {
        return DJL_PYTORCH.equals(kind);
    }

    static InitRequest parse(JsonObject body) throws ProxyError {
        JsonElement value = body.get("value");
        if (value == null || !value.isJsonObject()) {
            throw ProxyError.badRequest("The init request needs a \"value\" object.");
        }
        JsonObject v = value.getAsJsonObject();
        String kind = string(v, "kind");
        kind = kind == null || kind.isBlank() ? JAVA : kind.strip();
        if (!JAVA.equals(kind) && !DJL_PYTORCH.equals(kind)) {
            throw ProxyError.badAction("Unsupported kind '" + kind + "': this runtime runs java and djl:pytorch.");
        }
        String main = string(v, "main");
        if (DJL_PYTORCH.equals(kind) && (main == null || main.isBlank())) {
            main = "model";
        }
        if (main == null || main.isBlank()) {
            throw ProxyError.badAction(
                    "The action has no \"main\": give its class as \"com.example.Main\" or \"com.example.Main#method\".");
        }
        main = main.strip();
        String mainClass = main;
        String method = DEFAULT_METHOD;
        int hash = main.indexOf('#');
        if (hash >= 0) {
            mainClass = main.substring(0, hash);
            method = main.substring(hash + 1);
            if (mainClass.isEmpty() || method.isEmpty()) {
                throw ProxyError.badAction("The action's \"main\" is not of the form Class#method: " + main);
            }
        }
        String code = string(v, "code");
        String codePath = string(v, "codePath");
        if ((code == null || code.isEmpty()) && (codePath == null || codePath.isEmpty())) {
            throw ProxyError.badAction(
                    "Missing main/no code to execute: the init request has neither \"code\" nor \"codePath\".");
        }
        String name = string(v, "name");
        String digest = string(v, "digest");
        if (digest != null && !digest.matches("[0-9a-f]{64}")) {
            throw ProxyError.badRequest("The init request's \"digest\" must be a lowercase hex SHA-256.");
        }
        return new InitRequest(
                kind, name == null ? mainClass : name, mainClass, method, code, codePath, digest, env(v.get("env")));
    }

    private static Map<String, String> env(JsonElement env) throws ProxyError {
        Map<String, String> out = new LinkedHashMap<>();
        if (env == null || env.isJsonNull()) {
            return out;
        }
        if (!env.isJsonObject()) {
            throw ProxyError.badRequest("The init request's \"env\" must be an object.");
        }
        for (Map.Entry<String, JsonElement> e : env.getAsJsonObject().entrySet()) {
            String text = asText(e.getValue());
            if (text != null) {
                out.put(e.getKey(), text);
            }
        }
        return out;
    }

    private static String string(JsonObject o, String key) throws ProxyError {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ProxyError.badRequest("The init request's \"" + key + "\" must be a string.");
        }
        return e.getAsString();
    }

    /** A JSON value as a property value: strings and numbers as written, objects and arrays as JSON. */
    static String asText(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        return e.isJsonPrimitive() ? e.getAsString() : e.toString();
    }
}
