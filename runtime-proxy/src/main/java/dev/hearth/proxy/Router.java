package dev.hearth.proxy;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.hearth.proxy.http.Handler;
import dev.hearth.proxy.http.Request;
import dev.hearth.proxy.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Dispatches {@code METHOD /path} to a {@link Route}, parses request bodies and turns replies into bytes.
 * This is the one place where errors become HTTP: a {@link ProxyError} becomes its status with
 * {@code {"error": message}}, malformed JSON a 400, a request the server could not read its status, anything
 * unexpected a 500. Add an endpoint with {@link #work} (runs on the activation thread) or {@link #get}.
 */
final class Router implements Handler {

    private final Map<String, Route> routes = new HashMap<>();
    private final Set<String> work = new HashSet<>();

    /** A {@code POST} route that does the action's work: the server runs it on the activation thread. */
    Router work(String path, Route route) {
        routes.put("POST " + path, route);
        work.add("POST " + path);
        return this;
    }

    /** A {@code GET} route any thread may answer. */
    Router get(String path, Route route) {
        routes.put("GET " + path, route);
        return this;
    }

    @Override
    public boolean isWork(Request request) {
        return work.contains(request.method() + " " + request.path());
    }

    @Override
    public Response handle(Request request) {
        Reply reply;
        try {
            reply = dispatch(request);
        } catch (ProxyError e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            reply = Reply.error(500, "The runtime proxy failed: " + e);
        }
        return bytes(reply);
    }

    @Override
    public Response refuse(int status, String message) {
        return bytes(Reply.error(status, message));
    }

    private Reply dispatch(Request request) throws ProxyError {
        String path = request.path();
        Route route = routes.get(request.method() + " " + path);
        if (route == null) {
            if (routes.containsKey("POST " + path) || routes.containsKey("GET " + path)) {
                return Reply.error(405, "Method " + request.method() + " is not allowed on " + path + ".");
            }
            return Reply.error(404, "No such endpoint: " + path);
        }
        JsonObject body = "POST".equals(request.method()) ? parse(request.body()) : new JsonObject();
        return route.handle(body);
    }

    /**
     * Parses the body, read whole by the server, from one in-memory string, as {@code predict} in a plain JVM
     * parses its request (a model's request carries a ~165 KB image).
     */
    private static JsonObject parse(byte[] body) throws ProxyError {
        JsonElement json;
        try {
            json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
        } catch (JsonParseException e) {
            throw ProxyError.badRequest("The request body is not valid JSON: " + e.getMessage());
        }
        if (!json.isJsonObject()) {
            throw ProxyError.badRequest("The request body must be a JSON object.");
        }
        return json.getAsJsonObject();
    }

    private static Response bytes(Reply reply) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.putAll(reply.headers());
        return new Response(reply.status(), reply.body().toString().getBytes(StandardCharsets.UTF_8), headers);
    }
}
