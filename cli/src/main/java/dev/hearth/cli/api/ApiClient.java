package dev.hearth.cli.api;

import com.google.gson.JsonElement;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import dev.hearth.cli.config.CliConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Sends requests to the OpenWhisk REST API v1 under {@code <apihost>/api/v1}, authenticated with
 * HTTP Basic {@code uuid:key}. Returns every answer as an {@link ApiResponse} (callers decide what a
 * status means) and turns a host that cannot be reached into a {@link CliException} that names it.
 * With a trace writer it prints each request and response (the key masked, long bodies cut).
 */
public final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final int TRACE_BODY_LIMIT = 4096;

    private final CliConfig config;
    private final HttpClient http;
    private final PrintWriter trace;

    /**
     * @param config where to send and how to authenticate
     * @param trace where to print requests and responses ({@code -v}), or null
     */
    public ApiClient(CliConfig config, PrintWriter trace) {
        this.config = config;
        this.trace = trace;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    public CliConfig config() {
        return config;
    }

    public ApiResponse get(String path, Map<String, ?> query) {
        return send("GET", path, query, null);
    }

    public ApiResponse delete(String path) {
        return send("DELETE", path, Map.of(), null);
    }

    /**
     * @param method HTTP method
     * @param path path below {@code /api/v1}, already encoded, e.g. {@code /namespaces/_/actions/x}
     * @param query query parameters in order; null values are left out
     * @param body JSON body, or null for none
     */
    public ApiResponse send(String method, String path, Map<String, ?> query, JsonElement body) {
        URI uri = URI.create(config.apiHost() + "/api/v1" + path + queryString(query));
        String json = body == null ? null : Json.compact(body);
        HttpRequest.Builder request = newRequest(uri)
                .method(
                        method,
                        json == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        traceRequest(method, uri, json);
        return exchange(request);
    }

    /**
     * Streams a file to {@code POST /namespaces/{ns}/artifacts} (Hearth's upload for large model
     * bundles) without reading it into memory, with its SHA-256 for the server to check.
     *
     * @return the server's answer, {@code {"digest","size"}} on success
     */
    public ApiResponse upload(String namespace, Path file, String sha256) {
        URI uri = URI.create(config.apiHost() + "/api/v1/namespaces/" + EntityName.segment(namespace) + "/artifacts");
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException missing) {
            throw CliException.usage("cannot read artifact " + file + ": " + missing.getMessage());
        }
        HttpRequest.Builder request = newRequest(uri)
                .header("Content-Type", "application/octet-stream")
                .header("X-Hearth-Digest", sha256)
                .POST(body);
        traceRequest("POST", uri, "<" + file + ">");
        return exchange(request);
    }

    private HttpRequest.Builder newRequest(URI uri) {
        return HttpRequest.newBuilder(uri)
                .header("Authorization", "Basic " + basic(config.auth()))
                .header("Accept", "application/json")
                .header("User-Agent", "hearth-cli");
    }

    private ApiResponse exchange(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", CliException.FAILURE, interrupted);
        } catch (IOException failure) {
            throw unreachable(failure);
        }
        ApiResponse answer = new ApiResponse(
                response.statusCode(),
                response.body() == null ? "" : response.body(),
                response.headers().firstValue("x-openwhisk-activation-id").orElse(null));
        traceResponse(answer);
        return answer;
    }

    private CliException unreachable(IOException failure) {
        String host = config.apiHost();
        String why;
        if (failure instanceof HttpConnectTimeoutException) {
            why = "the connection timed out";
        } else if (failure instanceof HttpTimeoutException) {
            why = "the request timed out";
        } else if (failure instanceof ConnectException || failure.getCause() instanceof ConnectException) {
            why = "connection refused";
        } else if (failure instanceof UnknownHostException || failure.getCause() instanceof UnknownHostException) {
            why = "unknown host";
        } else {
            why = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        }
        return new CliException(
                "cannot reach the Hearth API at "
                        + host
                        + " ("
                        + why
                        + "). Is Hearth running? Start it with 'bin/hearth up', or point --apihost"
                        + " (or 'hearth property set --apihost') at a running API host.",
                CliException.FAILURE,
                failure);
    }

    static String queryString(Map<String, ?> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        query.forEach((key, value) -> {
            if (value != null) {
                joined.add(encode(key) + "=" + encode(String.valueOf(value)));
            }
        });
        return joined.length() == 1 ? "" : joined.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String basic(String auth) {
        return Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8));
    }

    private void traceRequest(String method, URI uri, String body) {
        if (trace == null) {
            return;
        }
        String user = config.auth().substring(0, Math.max(0, config.auth().indexOf(':')));
        trace.println("REQUEST: [" + method + "] " + uri);
        trace.println("Req Headers: Authorization: Basic <" + user + ":***>");
        if (body != null) {
            trace.println("Req Body");
            trace.println(cut(body));
        }
        trace.flush();
    }

    private void traceResponse(ApiResponse response) {
        if (trace == null) {
            return;
        }
        trace.println("RESPONSE: Got response with code " + response.status());
        if (!response.body().isEmpty()) {
            trace.println("Resp Body");
            trace.println(cut(response.body()));
        }
        trace.flush();
    }

    private static String cut(String body) {
        return body.length() <= TRACE_BODY_LIMIT
                ? body
                : body.substring(0, TRACE_BODY_LIMIT) + "... (" + body.length() + " characters in all)";
    }
}
