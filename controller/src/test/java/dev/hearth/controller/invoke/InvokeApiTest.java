package dev.hearth.controller.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.controller.loadbalancer.LoadBalancer;
import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import dev.hearth.controller.support.FakeInvoker;
import dev.hearth.controller.support.Jars;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The invoke flow against a fake invoker on in-memory messaging, and the activation queries after it. */
class InvokeApiTest {
    private static final String ACTION = "/api/v1/namespaces/_/actions/echo";
    static ControllerHarness controller;
    static FakeInvoker invoker;

    @BeforeAll
    static void start() throws Exception {
        controller = ControllerHarness.start("hearth.controller.payload-max-bytes=1KB");
        invoker = new FakeInvoker(controller.messaging, controller.jdbc, 0, 2048).start();
        assertThat(controller
                        .put(
                                ACTION,
                                Jars.javaAction(
                                        "echo",
                                        "\"parameters\":[{\"key\":\"a\",\"value\":\"default\"},{\"key\":\"b\",\"value\":\"kept\"}],"
                                                + "\"limits\":{\"timeout\":5000}"))
                        .status())
                .isEqualTo(200);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (controller.bean(LoadBalancer.class).snapshot().invokers().isEmpty()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stop() {
        invoker.close();
        controller.close();
    }

    @Test
    void blockingSuccessReturnsTheActivation() {
        Reply r = controller.post(ACTION + "?blocking=true", "{\"a\":\"given\"}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(a.get("activationId").asString()).isEqualTo(r.header("x-openwhisk-activation-id"));
        assertThat(a.at("/response/statusCode").asInt()).isZero();
        assertThat(a.at("/response/result/a").asString()).isEqualTo("given");
        assertThat(a.at("/response/result/b").asString()).isEqualTo("kept");
        assertThat(controller.bean(LoadBalancer.class).waitingCount()).isZero();
        // One write of known length, which the gateway passes on whole (not chunks).
        assertThat(r.header("Content-Length"))
                .isEqualTo(String.valueOf(r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));

        ActivationMessage sent = invoker.received.stream()
                .filter(m -> m.activationId().equals(a.get("activationId").asString()))
                .findFirst()
                .orElseThrow();
        assertThat(sent.action()).isEqualTo("guest/echo");
        assertThat(sent.exec().kind()).isEqualTo("java");
        assertThat(sent.exec().main()).isEqualTo("hearth.Main");
        assertThat(sent.limits().timeout()).isEqualTo(5000);
        assertThat(sent.blocking()).isTrue();
        assertThat(sent.controller()).isZero();
        assertThat(sent.transactionId()).isEqualTo(r.header("X-Request-ID"));
    }

    @Test
    void resultTrueReturnsOnlyTheResult() {
        Reply r = controller.post(ACTION + "?blocking=true&result=true", "{\"x\":1}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("x").asInt()).isEqualTo(1);
        assertThat(r.json().has("activationId")).isFalse();
        assertThat(r.header("Content-Length"))
                .isEqualTo(String.valueOf(r.text().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        assertThat(r.header("x-openwhisk-activation-id")).matches("[0-9a-f]{32}");
    }

    @Test
    void applicationErrorIs502AndPlatformErrorIs500() {
        Reply fail = controller.post(ACTION + "?blocking=true", "{\"mode\":\"fail\"}");
        assertThat(fail.status()).isEqualTo(502);
        assertThat(fail.json().at("/response/statusCode").asInt()).isEqualTo(1);
        Reply failResult = controller.post(ACTION + "?blocking=true&result=true", "{\"mode\":\"fail\"}");
        assertThat(failResult.status()).isEqualTo(502);
        assertThat(failResult.json().get("error").asString()).isEqualTo("boom");
        Reply whisk = controller.post(ACTION + "?blocking=true", "{\"mode\":\"whisk\"}");
        assertThat(whisk.status()).isEqualTo(500);
        assertThat(whisk.json().at("/response/statusCode").asInt()).isEqualTo(3);
    }

    @Test
    void nonBlockingIs202WithTheId() throws Exception {
        Reply r = controller.post(ACTION, null);
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().get("activationId").asString();
        assertThat(id).isEqualTo(r.header("x-openwhisk-activation-id"));
        JsonNode record = awaitActivation(id);
        assertThat(record.get("activationId").asString()).isEqualTo(id);
    }

    @Test
    void waitThatRunsOutIs202ThenTheRecordAppears() throws Exception {
        Reply r = controller.post(ACTION + "?blocking=true&timeout=200", "{\"mode\":\"slow\",\"ms\":700}");
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().get("activationId").asString();
        assertThat(controller.get("/api/v1/namespaces/_/activations/" + id).status())
                .isEqualTo(404);
        JsonNode record = awaitActivation(id);
        assertThat(record.at("/response/result/ms").asInt()).isEqualTo(700);
        assertThat(controller.bean(LoadBalancer.class).waitingCount()).isZero();
    }

    @Test
    void refusesBadInvocations() {
        Reply notObject = controller.post(ACTION + "?blocking=true", "[1,2]");
        assertThat(notObject.status()).isEqualTo(400);
        assertThat(notObject.json().get("error").asString()).startsWith("The request content was malformed:\n");
        Reply malformed = controller.post(ACTION, "{\"a\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asString()).startsWith("The request content was malformed:\n");
        Reply tooLarge = controller.post(ACTION, "{\"a\":\"" + "x".repeat(2000) + "\"}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("error").asString())
                .isEqualTo("Request larger than allowed: 2008 > 1024 bytes.");
        Reply badTimeout = controller.post(ACTION + "?blocking=true&timeout=60001", "{}");
        assertThat(badTimeout.status()).isEqualTo(400);
        assertThat(badTimeout.json().get("error").asString())
                .isEqualTo("Timeout must be number of milliseconds up to 60000.");
        Reply unknown = controller.post("/api/v1/namespaces/_/actions/nope?blocking=true", "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(controller
                        .post("/api/v1/namespaces/other/actions/echo", "{}")
                        .status())
                .isEqualTo(403);
    }

    /**
     * The invoke route is answered ahead of Spring MVC ({@link InvokeEndpoint}): what the handler's layers
     * did still holds (escapes decoded, errors in OpenWhisk's shape with the transaction id, a GET on the
     * same path and a path MVC does not know still answered by MVC), and each invocation is timed in
     * {@code hearth.invocations} instead of MVC's {@code http.server.requests}.
     */
    @Test
    void theInvokeRouteIsServedAheadOfSpringMvc() {
        Reply escaped =
                controller.post("/api/v1/namespaces/_/actions/ech%6F?blocking=true&result=true", "{\"a\":\"e\"}");
        assertThat(escaped.status()).isEqualTo(200);
        assertThat(escaped.json().get("a").asString()).isEqualTo("e");

        Reply noAuth = controller.send("POST", ACTION + "?blocking=true", "{}", null);
        assertThat(noAuth.status()).isEqualTo(401);
        assertThat(noAuth.json().get("code").asString()).isEqualTo(noAuth.header("X-Request-ID"));
        assertThat(noAuth.json().get("error").asString()).isNotBlank();
        assertThat(noAuth.header("Content-Type")).isEqualTo("application/json");

        Reply badName = controller.post("/api/v1/namespaces/_/actions/bad%21name", "{}");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.json().get("code").asString()).isEqualTo(badName.header("X-Request-ID"));

        assertThat(controller.get(ACTION).json().get("name").asString()).isEqualTo("echo");
        Reply trailing = controller.post(ACTION + "/", "{}");
        assertThat(trailing.status()).isEqualTo(404);
        assertThat(trailing.json().get("code").asString()).isEqualTo(trailing.header("X-Request-ID"));

        // curl -d sends its JSON as a form: the query is still read from the URI alone and the body reaches
        // the action as JSON, as OpenWhisk reads it.
        Reply formTyped = controller.send(
                "POST",
                ACTION + "?blocking=true&result=true",
                "{\"a\":\"form\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ControllerHarness.GUEST_AUTH,
                "application/x-www-form-urlencoded");
        assertThat(formTyped.status()).isEqualTo(200);
        assertThat(formTyped.json().get("a").asString()).isEqualTo("form");

        String metrics = controller.get("/actuator/prometheus").text();
        assertThat(metrics).contains("hearth_invocations_seconds_count{blocking=\"true\",status=\"200\"}");
        assertThat(metrics).contains("hearth_invocations_seconds_count{blocking=\"true\",status=\"401\"}");
        assertThat(metrics.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")))
                .noneMatch(l -> l.contains("method=\"POST\"") && l.contains("/actions/"));
    }

    @Test
    void chunkedBodiesAreBoundedToo() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(controller.base() + ACTION))
                .header(
                        "Authorization",
                        "Basic "
                                + java.util.Base64.getEncoder().encodeToString(ControllerHarness.GUEST_AUTH.getBytes()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(("{\"a\":\"" + "y".repeat(3000) + "\"}").getBytes())))
                .build();
        var r = controller.client().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
    }

    @Test
    void sendsOnTheInvokerTopic() {
        long before = controller.messaging.sent(Topics.invoker(0)).size();
        controller.post(ACTION, "{}");
        var all = controller.messaging.sent(Topics.invoker(0));
        assertThat(all.size()).isEqualTo(before + 1);
        assertThat(Messages.decode(all.getLast(), ActivationMessage.class).blocking())
                .isFalse();
    }

    static JsonNode awaitActivation(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Reply r = controller.get("/api/v1/namespaces/_/activations/" + id);
            if (r.status() == 200) {
                return r.json();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("activation " + id + " never appeared");
    }
}
