package dev.hearth.cli;

import com.google.gson.JsonElement;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the API server: a JDK HttpServer on a random port that records every request and
 * answers from a script of responses per {@code "METHOD /path"} (the last one scripted repeats).
 * Unscripted requests get a 404 OpenWhisk error body.
 */
public final class FakeApi implements AutoCloseable {

    /** One request as the server saw it. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }

        /** The user:key of the Basic Authorization header. */
        public String basicAuth() {
            String header = header("Authorization");
            return header == null
                    ? null
                    : new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        }

        public JsonElement json() {
            return Json.parse(body);
        }
    }

    /** A scripted answer. */
    public record Response(int status, String body, Map<String, String> headers) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, List<Response>> script = new HashMap<>();

    public FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String apiHost() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers {@code METHOD path} (path without query) with status and JSON body. */
    public FakeApi on(String method, String path, int status, String body) {
        return on(method, path, status, body, Map.of());
    }

    public synchronized FakeApi on(String method, String path, int status, String body, Map<String, String> headers) {
        script.computeIfAbsent(method + " " + path, k -> new ArrayList<>()).add(new Response(status, body, headers));
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request only() {
        if (requests.size() != 1) {
            throw new AssertionError("expected one request, got " + requests);
        }
        return requests.getFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        requests.add(new Request(
                method, path, exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body));
        Response response = next(method + " " + path);
        byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        response.headers().forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private synchronized Response next(String key) {
        List<Response> answers = script.get(key);
        if (answers == null || answers.isEmpty()) {
            return new Response(
                    404, "{\"error\":\"The requested resource does not exist.\",\"code\":\"tx404\"}", Map.of());
        }
        return answers.size() == 1 ? answers.getFirst() : answers.removeFirst();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
