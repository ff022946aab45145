package dev.hearth.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What the benchmarks share: one HTTP/1.1 client, JSON requests, activation annotations, options. */
final class BenchHttp {
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
