package dev.hearth.standalone;

import dev.hearth.common.json.Json;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/** Makes action bodies for the whole-path tests from jars compiled on the spot. */
final class Actions {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Path JARS = RunningPlatform.newDataDir("hearth-jars");

    private Actions() {}

    /** A name no other test uses. */
    static String unique(String base) {
        return base + "-" + SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
    }

    static ObjectNode body(ActionFixture fixture) {
        return body(ActionJars.build(JARS.resolve(fixture.name().toLowerCase()), fixture), fixture.mainClass());
    }

    static ObjectNode body(String className, String source) {
        return body(ActionJars.build(JARS.resolve(className + SEQ.incrementAndGet()), className, source), className);
    }

    static ObjectNode body(Path jar, String main) {
        ObjectNode body = Json.object();
        body.putObject("exec")
                .put("kind", "java")
                .put("binary", true)
                .put("main", main)
                .put("code", ActionJars.base64(jar));
        return body;
    }

    /** Streams {@code file} to the guest namespace's artifact upload ({@code POST .../artifacts}). */
    static Api.Response upload(Path file) throws Exception {
        return upload(RunningPlatform.get().apiHost(), RunningPlatform.get().guestKey(), file);
    }

    /** {@link #upload(Path)} to the platform at {@code apiHost} with the namespace key {@code key}. */
    static Api.Response upload(String apiHost, String key, Path file) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiHost + "/api/v1/namespaces/_/artifacts"))
                .header(
                        "Authorization",
                        "Basic " + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        return new Api.Response(r.statusCode(), r.body(), r);
    }

    /** Creates the action and fails the test when the platform refuses it. */
    static void create(Api api, String name, ObjectNode body) {
        Api.Response r = api.put("/api/v1/namespaces/_/actions/" + name, body);
        if (r.status() != 200) {
            throw new AssertionError("create " + name + " -> " + r.status() + " " + r.body());
        }
    }
}
