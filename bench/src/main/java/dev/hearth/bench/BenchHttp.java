package dev.hearth.bench;

import dev.hearth.common.http.HttpReply;
import dev.hearth.common.http.KeptAliveHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What the benchmarks share: one HTTP/1.1 client, JSON requests, activation annotations, options. */
final class BenchHttp {
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /**
     * The client of the timed calls: blocking, kept-alive, one write per request. A benchmark measures
     * what Hearth adds, not its client library: {@link #HTTP} alone costs 0.6–1.4 ms per call against
     * 0.14 ms for this one (an empty handler in one JVM, 2-core machine).
     */
    static final KeptAliveHttp LEAN = new KeptAliveHttp(Duration.ofSeconds(5));

    /** The benchmarks are the platform's only tenant: throttles would measure themselves. */
    static final Map<String, Object> UNTHROTTLED = Map.of(
            "hearth.controller.throttles.invocations-per-minute", 100_000_000,
            "hearth.controller.throttles.concurrent-invocations", 10_000);

    private BenchHttp() {}

    static String basic(String key) {
        return "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON request ({@code body} null for none); transport failures become unchecked. */
    static HttpResponse<String> send(String method, String url, String auth, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // a caller's loop must still see it
            }
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        }
    }

    /** A timed JSON POST through {@link #LEAN}; the answer must have {@code status}. Returns its body. */
    static String post(String url, String auth, String body, int status) {
        URI uri = URI.create(url);
        String path = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
        try {
            HttpReply r = LEAN.post(
                    uri.getHost(),
                    uri.getPort(),
                    path,
                    "application/json",
                    auth == null ? Map.of() : Map.of("Authorization", auth),
                    body.getBytes(StandardCharsets.UTF_8),
                    Duration.ofMinutes(2));
            String text = new String(r.body(), StandardCharsets.UTF_8);
            if (r.status() != status) {
                throw new IllegalStateException(
                        "expected " + status + " from " + url + ", got " + r.status() + ": " + text);
            }
            return text;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("POST " + url + ": " + e, e);
        }
    }

    static HttpResponse<String> check(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(
                    "expected " + status + " from " + r.uri() + ", got " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    /** An activation record's annotation, or a missing node. */
    static JsonNode annotation(JsonNode record, String key) {
        for (JsonNode a : record.path("annotations")) {
            if (a.path("key").asString().equals(key)) {
                return a.path("value");
            }
        }
        return record.path("annotations").path("no such annotation: " + key);
    }

    static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }
}
