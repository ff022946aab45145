package dev.hearth.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * A stand-in controller on a random local port. Paths under {@code /api/v1/}:
 * {@code status/{code}} answers that status with a JSON body and an activation id header;
 * {@code echo} answers 200 with the request body; {@code chunked} answers 200 without a length (chunked); {@code digest} answers the body's length and
 * SHA-256; {@code slow} waits 3 s; anything else answers 200 naming this stub. Every request is
 * recorded.
 */
public final class StubController implements AutoCloseable {

    /** One request as the stub saw it; {@code fromPort} is the port of the connection it came on. */
    public record Seen(
            String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body, int fromPort) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst()
                    .orElse(null);
        }
    }

    private final String name;
    private final HttpServer server;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();

    public StubController(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public Seen last() {
        return seen().getLast();
    }

    public void clear() {
        seen.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = ex.getRequestURI().getRawPath();
        seen.add(new Seen(
                ex.getRequestMethod(),
                path,
                ex.getRequestURI().getRawQuery(),
                Map.copyOf(ex.getRequestHeaders()),
                body,
                ex.getRemoteAddress().getPort()));
        ex.getResponseHeaders().add("x-openwhisk-activation-id", "0123456789abcdef0123456789abcdef");
        ex.getResponseHeaders().add("X-Stub", name);
        if (path.startsWith("/api/v1/status/")) {
            int status = Integer.parseInt(path.substring("/api/v1/status/".length()));
            respond(ex, status, "application/json", "{\"error\":\"status " + status + "\",\"code\":\"up\"}");
        } else if (path.equals("/api/v1/echo")) {
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
            ex.close();
        } else if (path.equals("/api/v1/chunked")) {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0); // length unknown: chunked, as Spring MVC answers JSON
            ex.getResponseBody().write(("{\"chunked\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
            ex.close();
        } else if (path.equals("/api/v1/digest")) {
            respond(
                    ex,
                    200,
                    "application/json",
                    "{\"length\":" + body.length + ",\"sha256\":\"" + sha256(body) + "\"}");
        } else if (path.equals("/api/v1/slow") || path.endsWith("/artifacts")) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, "application/json", "{\"slow\":true}");
        } else {
            respond(ex, 200, "application/json", "{\"stub\":\"" + name + "\"}");
        }
    }

    private static void respond(HttpExchange ex, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", contentType);
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
