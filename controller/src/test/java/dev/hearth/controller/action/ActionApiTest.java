package dev.hearth.controller.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import dev.hearth.controller.support.Jars;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** Action CRUD over HTTP, with auth and the error shapes. */
class ActionApiTest {
    private static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    static ControllerHarness controller;

    @BeforeAll
    static void start() {
        controller = ControllerHarness.start("hearth.controller.artifact-max-bytes=64KB");
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    @Test
    void createsGetsAndDeletesAnAction() {
        String body = Jars.javaAction(
                "one",
                "\"parameters\":[{\"key\":\"greeting\",\"value\":\"hi\"}],"
                        + "\"annotations\":[{\"key\":\"description\",\"value\":\"d\"}],\"limits\":{\"timeout\":1000,\"memory\":128}");
        Reply created = controller.put(ACTIONS + "crud", body);
        assertThat(created.status()).isEqualTo(200);
        JsonNode a = created.json();
        assertThat(a.get("namespace").asString()).isEqualTo("guest");
        assertThat(a.get("name").asString()).isEqualTo("crud");
        assertThat(a.get("version").asString()).isEqualTo("0.0.1");
        assertThat(a.get("publish").asBoolean()).isFalse();
        assertThat(a.at("/exec/kind").asString()).isEqualTo("java");
        assertThat(a.at("/exec/main").asString()).isEqualTo("hearth.Main");
        assertThat(a.at("/exec/binary").asBoolean()).isTrue();
        assertThat(a.at("/limits/timeout").asInt()).isEqualTo(1000);
        assertThat(a.at("/limits/memory").asInt()).isEqualTo(128);
        assertThat(a.at("/limits/logs").asInt()).isEqualTo(10);
        assertThat(a.at("/limits/concurrency").asInt()).isEqualTo(1);
        assertThat(a.at("/parameters/0/key").asString()).isEqualTo("greeting");
        assertThat(a.get("annotations").toString())
                .contains("\"description\"")
                .contains("{\"key\":\"exec\",\"value\":\"java\"}");
        assertThat(a.get("updated").asLong()).isPositive();

        JsonNode got = controller.get("/api/v1/namespaces/guest/actions/crud").json();
        assertThat(Base64.getDecoder().decode(got.at("/exec/code").asString())).isEqualTo(Jars.jar("one"));
        assertThat(controller
                        .get(ACTIONS + "crud?code=false")
                        .json()
                        .at("/exec")
                        .has("code"))
                .isFalse();

        Reply deleted = controller.delete(ACTIONS + "crud");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("name").asString()).isEqualTo("crud");
        assertNotFound(controller.get(ACTIONS + "crud"));
        assertNotFound(controller.delete(ACTIONS + "crud"));
    }

    /**
     * Updates and deletes go out on {@code entities}; a change another controller publishes drops the
     * action from this controller's cache at once (without it the cached action would be served for the
     * cache's time-to-live).
     */
    @Test
    void publishesItsChangesAndFollowsThoseOfOtherControllers() throws Exception {
        assertThat(controller
                        .put(ACTIONS + "changes", Jars.javaAction("one", null))
                        .status())
                .isEqualTo(200);
        assertThat(controller
                        .put(ACTIONS + "changes?overwrite=true", Jars.javaAction("two", null))
                        .status())
                .isEqualTo(200);
        assertThat(controller.delete(ACTIONS + "changes").status()).isEqualTo(200);
        List<ActionChange> published = controller.messaging.sent(Topics.ENTITIES).stream()
                .map(b -> Messages.decode(b, ActionChange.class))
                .filter(c -> c.action().equals("guest/changes"))
                .toList();
        assertThat(published)
                .extracting(ActionChange::change, ActionChange::version)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ActionChange.Change.UPDATED, "0.0.2"),
                        org.assertj.core.groups.Tuple.tuple(ActionChange.Change.DELETED, null));
        assertThat(published).allSatisfy(c -> assertThat(c.changedAt()).isPositive());

        assertThat(controller
                        .put(ACTIONS + "elsewhere", Jars.javaAction("one", null))
                        .status())
                .isEqualTo(200);
        ActionService actions = controller.bean(ActionService.class);
        ActionName name = new ActionName(null, "elsewhere");
        assertThat(actions.cached("guest", name).version()).isEqualTo("0.0.1");
        // another controller updates the row and says so
        controller
                .jdbc
                .sql("update actions set version = '0.0.9' where namespace = 'guest' and name = 'elsewhere'")
                .update();
        assertThat(actions.cached("guest", name).version()).as("still cached").isEqualTo("0.0.1");
        controller
                .messaging
                .producer()
                .send(
                        Topics.ENTITIES,
                        Messages.encode(
                                ActionChange.updated("t", "guest/elsewhere", "0.0.9", System.currentTimeMillis())));
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!actions.cached("guest", name).version().equals("0.0.9") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(actions.cached("guest", name).version()).isEqualTo("0.0.9");
    }

    @Test
    void refusesToReplaceWithoutOverwrite() {
        assertThat(controller.put(ACTIONS + "twice", Jars.javaAction("a", null)).status())
                .isEqualTo(200);
        Reply again = controller.put(ACTIONS + "twice", Jars.javaAction("a", null));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("error").asString()).isEqualTo("resource already exists");
    }

    @Test
    void updateBumpsVersionAndKeepsWhatTheBodyLeavesOut() {
        controller.put(
                ACTIONS + "upd",
                Jars.javaAction(
                        "v1",
                        "\"parameters\":[{\"key\":\"p\",\"value\":1}],"
                                + "\"limits\":{\"memory\":256,\"timeout\":2000}"));
        String digestBefore = digest("upd");
        Reply updated = controller.put(ACTIONS + "upd?overwrite=true", "{\"limits\":{\"timeout\":3000}}");
        assertThat(updated.status()).isEqualTo(200);
        JsonNode a = updated.json();
        assertThat(a.get("version").asString()).isEqualTo("0.0.2");
        assertThat(a.at("/limits/timeout").asInt()).isEqualTo(3000);
        assertThat(a.at("/limits/memory").asInt()).isEqualTo(256);
        assertThat(a.at("/parameters/0/value").asInt()).isEqualTo(1);
        assertThat(a.at("/exec/main").asString()).isEqualTo("hearth.Main");
        assertThat(digest("upd")).isEqualTo(digestBefore);

        JsonNode third = controller
                .put(ACTIONS + "upd?overwrite=true", Jars.javaAction("v2", null))
                .json();
        assertThat(third.get("version").asString()).isEqualTo("0.0.3");
        assertThat(third.at("/parameters/0/key").asString()).isEqualTo("p");
        assertThat(digest("upd")).isNotEqualTo(digestBefore);
        assertThat(Base64.getDecoder()
                        .decode(controller
                                .get(ACTIONS + "upd")
                                .json()
                                .at("/exec/code")
                                .asString()))
                .isEqualTo(Jars.jar("v2"));
    }

    @Test
    void storesAnArtifactOnceByDigest() {
        controller.put(ACTIONS + "same1", Jars.javaAction("shared", null));
        controller.put(ACTIONS + "same2", Jars.javaAction("shared", null));
        assertThat(digest("same1")).isEqualTo(digest("same2"));
        assertThat(controller
                        .jdbc
                        .sql("select count(*) from artifacts where digest = ?")
                        .param(digest("same1"))
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    static Stream<Arguments> badActions() {
        String jar = Jars.base64Jar("x");
        return Stream.of(
                Arguments.of(
                        "memory above max",
                        Jars.javaAction("x", "\"limits\":{\"memory\":2000}"),
                        "memory 2000 MB exceeds allowed threshold of 512 MB"),
                Arguments.of(
                        "memory below min",
                        Jars.javaAction("x", "\"limits\":{\"memory\":64}"),
                        "memory 64 MB below allowed threshold of 128 MB"),
                Arguments.of(
                        "timeout above max",
                        Jars.javaAction("x", "\"limits\":{\"timeout\":300001}"),
                        "timeout 300001 ms exceeds allowed threshold of 300000 ms"),
                Arguments.of(
                        "timeout below min",
                        Jars.javaAction("x", "\"limits\":{\"timeout\":99}"),
                        "timeout 99 ms below allowed threshold of 100 ms"),
                Arguments.of(
                        "logs above max",
                        Jars.javaAction("x", "\"limits\":{\"logs\":11}"),
                        "logs 11 MB exceeds allowed threshold of 10 MB"),
                Arguments.of(
                        "concurrency above 1",
                        Jars.javaAction("x", "\"limits\":{\"concurrency\":2}"),
                        "concurrency 2 exceeds allowed threshold of 1"),
                Arguments.of(
                        "unknown kind",
                        "{\"exec\":{\"kind\":\"python:3\",\"code\":\"print(1)\"}}",
                        "kind 'python:3' is not supported; supported kinds: djl:pytorch, java"),
                Arguments.of(
                        "java without main",
                        "{\"exec\":{\"kind\":\"java\",\"code\":\"" + jar + "\",\"binary\":true}}",
                        "Java actions require 'exec.main'"),
                Arguments.of(
                        "java not binary",
                        "{\"exec\":{\"kind\":\"java\",\"code\":\"abc\",\"main\":\"a.B\"}}",
                        "Java actions require 'exec.binary' to be true"),
                Arguments.of(
                        "not a jar",
                        "{\"exec\":{\"kind\":\"java\",\"code\":\""
                                + Base64.getEncoder().encodeToString("hello world".getBytes()) + "\",\"binary\":true,"
                                + "\"main\":\"a.B\"}}",
                        "The code of a Java action must be a jar or zip archive."),
                Arguments.of(
                        "no exec", "{\"parameters\":[]}", "The request content was malformed:\n'exec' is required."),
                Arguments.of("malformed json", "{\"exec\":", "The request content was malformed:\n"),
                Arguments.of(
                        "parameters not a list",
                        Jars.javaAction("x", "\"parameters\":{\"a\":1}"),
                        "The request content was malformed:\n'parameters' must be an array"),
                Arguments.of(
                        "slo without latency",
                        Jars.javaAction("x", "\"annotations\":[{\"key\":\"slo\",\"value\":{\"percentile\":99}}]"),
                        "The request content was malformed:\nthe slo annotation needs a numeric latencyMs"),
                Arguments.of(
                        "slo percentile of 100",
                        Jars.javaAction(
                                "x",
                                "\"annotations\":[{\"key\":\"slo\",\"value\":{\"latencyMs\":300,\"percentile\":100}}]"),
                        "The request content was malformed:\nslo.percentile must be in (0, 100)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badActions")
    void refusesBadActions(String label, String body, String message) {
        Reply r = controller.put(ACTIONS + "bad", body);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asString()).startsWith(message);
        assertThat(r.json().get("code").asString()).isEqualTo(r.header("X-Request-ID"));
        assertNotFound(controller.get(ACTIONS + "bad"));
    }

    @Test
    void refusesInvalidNames() {
        Reply r = controller.put(ACTIONS + "-bad", Jars.javaAction("x", null));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asString()).contains("is not a valid entity name");
    }

    @Test
    void packagedActionsCannotBeCreatedYet() {
        Reply r = controller.put(ACTIONS + "pkg/inpkg", Jars.javaAction("x", null));
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asString()).isEqualTo("The requested resource 'guest/pkg' does not exist.");
        assertNotFound(controller.get(ACTIONS + "pkg/inpkg"));
    }

    @Test
    void refusesTooLargeArtifacts() {
        String big = "{\"exec\":{\"kind\":\"java\",\"code\":\"" + "A".repeat(70 * 1024) + "\"}}";
        Reply r = controller.put(ACTIONS + "big", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asString())
                .isEqualTo("Request larger than allowed: " + big.length() + " > 65536 bytes.");
    }

    @Test
    void listsNewestFirstWithLimitAndSkip() {
        ControllerHarness.Reply r;
        String other = controller.addNamespace("lister");
        for (int i = 0; i < 5; i++) {
            r = controller.send("PUT", "/api/v1/namespaces/lister/actions/l" + i, Jars.javaAction("l", null), other);
            assertThat(r.status()).isEqualTo(200);
        }
        JsonNode all = controller
                .send("GET", "/api/v1/namespaces/_/actions", null, other)
                .json();
        assertThat(all.size()).isEqualTo(5);
        assertThat(all.get(0).get("name").asString()).isEqualTo("l4");
        assertThat(all.get(0).at("/exec").has("code")).isFalse();
        assertThat(all.get(0).at("/exec/kind").asString()).isEqualTo("java");
        JsonNode page = controller
                .send("GET", "/api/v1/namespaces/lister/actions?limit=2&skip=1", null, other)
                .json();
        assertThat(page.size()).isEqualTo(2);
        assertThat(page.get(0).get("name").asString()).isEqualTo("l3");
        assertThat(page.get(1).get("name").asString()).isEqualTo("l2");
        Reply tooMany = controller.send("GET", "/api/v1/namespaces/_/actions?limit=201", null, other);
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("error").asString())
                .isEqualTo("The value '201' is not in the range of 0 to 200 for actions.");
        assertThat(controller
                        .send("GET", "/api/v1/namespaces/_/actions?skip=-1", null, other)
                        .status())
                .isEqualTo(400);
        assertThat(controller
                        .send("GET", "/api/v1/namespaces/_/actions?limit=200", null, other)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void authAndNamespaces() {
        Reply missing = controller.send("GET", "/api/v1/namespaces", null, null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().get("error").asString())
                .isEqualTo("The resource requires authentication, which was not supplied with the request");
        Reply wrong = controller.send("GET", "/api/v1/namespaces", null, ControllerHarness.GUEST_UUID + ":nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").asString()).isEqualTo("The supplied authentication is invalid");
        assertThat(controller
                        .send("GET", "/api/v1/namespaces", null, "not-a-uuid:x")
                        .status())
                .isEqualTo(401);

        Reply namespaces = controller.get("/api/v1/namespaces");
        assertThat(namespaces.status()).isEqualTo(200);
        assertThat(namespaces.text()).isEqualTo("[\"guest\"]");

        Reply forbidden = controller.get("/api/v1/namespaces/someone/actions");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("error").asString())
                .isEqualTo("The supplied authentication is not authorized to access this resource.");
    }

    @Test
    void transactionIdIsTakenFromTheRequestOrMade() {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(controller.base() + "/ping"))
                .header("X-Request-ID", "my-tx-1")
                .build();
        try {
            var r = controller.client().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.headers().firstValue("X-Request-ID")).hasValue("my-tx-1");
            assertThat(r.body()).isEqualTo("pong");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        Reply r = controller.send("GET", "/api/v1/namespaces", null, null);
        assertThat(r.header("X-Request-ID")).matches("[0-9a-f]{32}");
        assertThat(r.json().get("code").asString()).isEqualTo(r.header("X-Request-ID"));
    }

    @Test
    void unknownPathsAndMethodsAreOpenWhiskErrors() {
        Reply unknown = controller.get("/api/v1/nothing/here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asString()).isEqualTo("The requested resource does not exist.");
        Reply method = controller.send("PATCH", "/api/v1/namespaces/_/actions/x", "{}", ControllerHarness.GUEST_AUTH);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().has("error")).isTrue();
        assertThat(method.json().has("code")).isTrue();
    }

    @Test
    void actuatorHealthAnswers() {
        assertThat(controller.send("GET", "/actuator/health", null, null).status())
                .isEqualTo(200);
        assertThat(controller.send("GET", "/actuator/prometheus", null, null).status())
                .isEqualTo(200);
    }

    private static String digest(String name) {
        return controller
                .jdbc
                .sql("select artifact_digest from actions where namespace = 'guest' and name = ?")
                .param(name)
                .query(String.class)
                .single();
    }

    private static void assertNotFound(Reply r) {
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").asString()).isEqualTo("The requested resource does not exist.");
    }
}
