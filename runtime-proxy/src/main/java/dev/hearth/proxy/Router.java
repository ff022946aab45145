package dev.hearth.proxy;

import com.google.gson.JsonElement;
import com.google.gson.JsonIOException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Dispatches {@code METHOD /path} to a {@link Route}, parses request bodies and writes replies. This is
 * the one place where errors become HTTP: a {@link ProxyError} becomes its status with
 * {@code {"error": message}}, malformed JSON a 400, anything unexpected a 500. Add an endpoint with
 * {@link #post} or {@link #get}.
 */
final class Router implements HttpHandler {

    private final Map<String, Route> routes = new HashMap<>();

    Router post(String path, Route route) {
        routes.put("POST " + path, route);
        return this;
    }

    Router get(String path, Route route) {
        routes.put("GET " + path, route);
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        Reply reply;
        try {
            reply = dispatch(exchange);
        } catch (ProxyError e) {
            reply = Reply.error(e.status(), e.getMessage());
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            reply = Reply.error(500, "The runtime proxy failed: " + e);
        }
        write(exchange, reply);
    }

    private Reply dispatch(HttpExchange exchange) throws IOException, ProxyError {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        Route route = routes.get(method + " " + path);
        if (route == null) {
            exchange.getRequestBody().close();
            if (routes.containsKey("POST " + path) || routes.containsKey("GET " + path)) {
                return Reply.error(405, "Method " + method + " is not allowed on " + path + ".");
            }
            return Reply.error(404, "No such endpoint: " + path);
        }
        JsonObject body = "POST".equals(method) ? parse(exchange.getRequestBody()) : new JsonObject();
        return route.handle(body);
    }

    /**
     * Parses straight from the socket's stream: a model's request carries a ~165 KB image, and reading it
     * into bytes, then a String, then the tree would make two more copies per request for a container's
     * small young generation to collect.
     */
    private static JsonObject parse(InputStream in) throws IOException, ProxyError {
        JsonElement json;
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            json = JsonParser.parseReader(reader);
        } catch (JsonIOException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e);
        } catch (JsonParseException e) {
            throw ProxyError.badRequest("The request body is not valid JSON: " + e.getMessage());
        }
        if (!json.isJsonObject()) {
            throw ProxyError.badRequest("The request body must be a JSON object.");
        }
        return json.getAsJsonObject();
    }

    private static void write(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = reply.body().toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            exchange.getResponseHeaders().set(h.getKey(), h.getValue());
        }
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
