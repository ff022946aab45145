package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.testsupport.ActionFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Invocations through gateway → controller → Kafka → invoker → process container and back, with
 * the activation record read from PostgreSQL.
 */
class InvokeTest {
    private final Api api = RunningPlatform.guest();

    private static String invokePath(String name, String query) {
        return "/api/v1/namespaces/_/actions/" + name + query;
    }

    @Test
    void blockingInvokeReturnsTheRecordThenTheNextRunIsWarm() {
        String name = Actions.unique("echo");
        ObjectNode body = Actions.body(ActionFixture.ECHO);
        body.putArray("parameters").addObject().put("key", "fromDefault").put("value", "d");
        Actions.create(api, name, body);

        Api.Response cold = api.post(invokePath(name, "?blocking=true"), "{\"x\":1}");
        assertThat(cold.status()).as(cold.body()).isEqualTo(200);
        JsonNode record = cold.json();
        String id = record.path("activationId").asString();
        assertThat(cold.header("x-openwhisk-activation-id")).isEqualTo(id);
        assertThat(record.path("response").path("statusCode").asInt()).isZero();
        assertThat(record.path("response").path("result").path("x").asInt()).isEqualTo(1);
        assertThat(record.path("response").path("result").path("fromDefault").asString())
                .isEqualTo("d");
        assertThat(annotation(record, "initTime")).as("cold start has initTime").isNotNull();
        assertThat(annotation(record, "waitTime")).isNotNull();
        assertThat(annotation(record, "path").asString()).isEqualTo("guest/" + name);
        assertThat(annotation(record, "kind").asString()).isEqualTo("java");

        Api.Response warm = api.post(invokePath(name, "?blocking=true&result=true"), "{\"x\":2}");
        assertThat(warm.status()).isEqualTo(200);
        assertThat(warm.json().path("x").asInt()).isEqualTo(2);
        JsonNode warmRecord = api.get("/api/v1/namespaces/_/activations/" + warm.header("x-openwhisk-activation-id"))
                .json();
        assertThat(annotation(warmRecord, "initTime"))
                .as("warm start has no initTime")
                .isNull();

        JsonNode stored = api.get("/api/v1/namespaces/_/activations/" + id).json();
        assertThat(stored.path("activationId").asString()).isEqualTo(id);
        assertThat(stored.path("end").asLong())
                .isGreaterThanOrEqualTo(stored.path("start").asLong());
    }

    /**
     * The invoker of this JVM hands the controller its completions, once the records are stored, without
     * Kafka; the records are still read right after each call (the controller waits for them).
     */
    @Test
    void completionsOfTheInvokerInThisJvmDoNotGoThroughKafka() throws Exception {
        String name = Actions.unique("echo");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        double before = controllerCounter("hearth_completions_kafka_total");

        for (int i = 0; i < 3; i++) {
            Api.Response call = api.post(invokePath(name, "?blocking=true&result=true"), "{\"i\":" + i + "}");
            assertThat(call.status()).as(call.body()).isEqualTo(200);
            JsonNode record = api.get("/api/v1/namespaces/_/activations/" + call.header("x-openwhisk-activation-id"))
                    .json();
            assertThat(record.path("response").path("result").path("i").asInt()).isEqualTo(i);
        }
        Api.Response queued = api.post(invokePath(name, ""), "{\"i\":9}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        String id = queued.json().path("activationId").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (api.get("/api/v1/namespaces/_/activations/" + id).status() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(controllerCounter("hearth_completions_kafka_total")).isEqualTo(before);
        assertThat(controllerCounter("hearth_activations_direct_sent_total")).isGreaterThanOrEqualTo(3);
    }

    /** A counter of the controller's Prometheus page. */
    static double controllerCounter(String name) throws Exception {
        return counter(metrics(RunningPlatform.get().controllerPort()), name);
    }

    /** A counter of the invoker's Prometheus page ({@code hearth_activations_direct_total}, ...). */
    static double invokerCounter(String name) throws Exception {
        return counter(invokerMetrics(), name);
    }

    private static double counter(String page, String name) {
        return page.lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** The invoker's Prometheus page. */
    static String invokerMetrics() throws Exception {
        return metrics(RunningPlatform.get().invokerPort());
    }

    private static String metrics(int port) throws Exception {
        HttpResponse<String> page = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    /** Requests the invoker's web server has answered at {@code uri} (its {@code http.server.requests} timer). */
    static double invokerRequests(String uri) throws Exception {
        return invokerMetrics()
                .lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count{") && l.contains("uri=\"" + uri + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void blockingCallsTakeTheDirectPathAndNonBlockingOnesKafka() throws Exception {
        String name = Actions.unique("direct");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        assertThat(api.post(invokePath(name, "?blocking=true"), "{\"x\":0}").status())
                .isEqualTo(200); // cold
        double before = invokerCounter("hearth_activations_direct_total");
        double posted = invokerRequests("/invoker/activations");
        for (int i = 1; i <= 3; i++) {
            Api.Response r = api.post(invokePath(name, "?blocking=true&result=true"), "{\"x\":" + i + "}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("x").asInt()).isEqualTo(i);
        }
        assertThat(invokerCounter("hearth_activations_direct_total") - before)
                .as("blocking calls take the direct path")
                .isGreaterThanOrEqualTo(3);
        assertThat(invokerRequests("/invoker/activations") - posted)
                .as("in one JVM the direct path is a method call, not POST /invoker/activations")
                .isZero();
        double direct = invokerCounter("hearth_activations_direct_total");
        Api.Response async = api.post(invokePath(name, "?blocking=false"), "{\"x\":9}");
        assertThat(async.status()).isEqualTo(202);
        awaitActivation(async.json().path("activationId").asString());
        assertThat(invokerCounter("hearth_activations_direct_total"))
                .as("non-blocking calls go through Kafka")
                .isEqualTo(direct);
        assertThat(invokerCounter("hearth_activations_duplicates_total")).isZero();
    }

    @Test
    void nonBlockingInvokeAnswers202AndTheRecordAppears() throws Exception {
        String name = Actions.unique("async");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        Api.Response r = api.post(invokePath(name, "?blocking=false"), "{\"y\":3}");
        assertThat(r.status()).isEqualTo(202);
        String id = r.json().path("activationId").asString();
        assertThat(id).hasSize(32);
        JsonNode result = awaitActivation(id).path("response").path("result");
        assertThat(result.path("y").asInt()).isEqualTo(3);
        assertThat(api.get("/api/v1/namespaces/_/activations/" + id + "/result")
                        .json()
                        .path("result")
                        .path("y")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void aBlockingWaitThatRunsOutAnswers202AndTheResultComesLater() throws Exception {
        String name = Actions.unique("slow");
        Actions.create(api, name, Actions.body(ActionFixture.SLEEP));
        Api.Response r = api.post(invokePath(name, "?blocking=true&timeout=300"), "{\"ms\":2500}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = r.json().path("activationId").asString();
        JsonNode record = awaitActivation(id);
        assertThat(record.path("response").path("result").path("slept").asInt()).isEqualTo(2500);
    }

    @Test
    void anActionOverItsTimeLimitIsEndedWithStatusCode2() {
        String name = Actions.unique("timeout");
        ObjectNode body = Actions.body(ActionFixture.SLEEP);
        body.putObject("limits").put("timeout", 500);
        Actions.create(api, name, body);
        Api.Response r = api.post(invokePath(name, "?blocking=true"), "{\"ms\":5000}");
        assertThat(r.status()).as(r.body()).isEqualTo(502);
        assertThat(r.json().path("response").path("statusCode").asInt()).isEqualTo(2);
        assertThat(r.json().path("response").path("result").path("error").asString())
                .isEqualTo("The action exceeded its time limits of 500 milliseconds.");
        Api.Response next = api.post(invokePath(name, "?blocking=true&result=true"), "{\"ms\":10}");
        assertThat(next.status()).as("a fresh container serves the next call").isEqualTo(200);
    }

    @Test
    void anApplicationErrorIs502WithStatusCode1() {
        String name = Actions.unique("apperr");
        Actions.create(api, name, Actions.body("hearth.it.AppError", """
                package hearth.it;
                import com.google.gson.JsonObject;
                public class AppError {
                    public static JsonObject main(JsonObject args) {
                        JsonObject out = new JsonObject();
                        out.addProperty("error", "no such order");
                        return out;
                    }
                }
                """));
        Api.Response r = api.post(invokePath(name, "?blocking=true"), "{}");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().path("response").path("statusCode").asInt()).isEqualTo(1);
        assertThat(r.json().path("response").path("result").path("error").asString())
                .isEqualTo("no such order");
    }

    @Test
    void anExceptionInTheActionIsADeveloperErrorWithLogs() {
        String name = Actions.unique("throws");
        Actions.create(api, name, Actions.body(ActionFixture.FAIL));
        Api.Response r = api.post(invokePath(name, "?blocking=true"), "{\"message\":\"kaput\"}");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().path("response").path("statusCode").asInt()).isEqualTo(2);
        assertThat(r.json().path("response").path("result").path("error").asString())
                .contains("kaput");
        String id = r.header("x-openwhisk-activation-id");
        JsonNode logs = api.get("/api/v1/namespaces/_/activations/" + id + "/logs")
                .json()
                .path("logs");
        assertThat(logs.toString()).contains("stderr").contains("kaput");
    }

    @Test
    void aContainerThatDiesMidRunGivesAClearErrorAndAFreshContainerNextTime() {
        String name = Actions.unique("dies");
        Actions.create(api, name, Actions.body(ActionFixture.EXIT));
        Api.Response r = api.post(invokePath(name, "?blocking=true"), "{}");
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().path("response").path("result").path("error").asString())
                .isEqualTo("The action did not produce a valid response and exited unexpectedly.");
        Api.Response again = api.post(invokePath(name, "?blocking=true"), "{}");
        assertThat(again.status()).isEqualTo(502);
        assertThat(annotation(again.json(), "initTime"))
                .as("the dead container was replaced")
                .isNotNull();
    }

    @Test
    void logsAreCollectedPerActivation() {
        String name = Actions.unique("logs");
        Actions.create(api, name, Actions.body(ActionFixture.LOGS));
        Api.Response r = api.post(invokePath(name, "?blocking=true"), "{\"lines\":2}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode logs = r.json().path("logs");
        assertThat(logs.size()).isEqualTo(4);
        assertThat(logs.toString())
                .contains("stdout: stdout 1")
                .contains("stderr: stderr 2")
                .doesNotContain("XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX");
    }

    @Test
    void concurrentInvocationsOfSeveralActionsAllSucceed() throws Exception {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = Actions.unique("conc");
            Actions.create(api, name, Actions.body(ActionFixture.ECHO));
            names.add(name);
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<Api.Response>> calls = new ArrayList<>();
            for (int i = 0; i < 18; i++) {
                String name = names.get(i % names.size());
                int n = i;
                calls.add(pool.submit(
                        () -> api.post(invokePath(name, "?blocking=true&result=true"), "{\"n\":" + n + "}")));
            }
            for (int i = 0; i < calls.size(); i++) {
                Api.Response r = calls.get(i).get();
                assertThat(r.status()).as(r.body()).isEqualTo(200);
                assertThat(r.json().path("n").asInt()).isEqualTo(i);
            }
        }
    }

    @Test
    void unknownActionIs404() {
        Api.Response r = api.post(invokePath("no-such-action-here", "?blocking=true"), "{}");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("code").asString()).isNotBlank();
    }

    @Test
    void activationListFiltersByNameAndPages() throws Exception {
        String name = Actions.unique("listed");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        for (int i = 0; i < 3; i++) {
            assertThat(api.post(invokePath(name, "?blocking=true"), "{}").status())
                    .isEqualTo(200);
        }
        JsonNode all = api.get("/api/v1/namespaces/_/activations?name=" + name + "&docs=true")
                .json();
        assertThat(all.size()).isEqualTo(3);
        assertThat(api.get("/api/v1/namespaces/_/activations?name=" + name + "&limit=2")
                        .json()
                        .size())
                .isEqualTo(2);
        long newest = all.get(0).path("start").asLong();
        assertThat(api.get("/api/v1/namespaces/_/activations?name=" + name + "&since=" + newest)
                        .json()
                        .size())
                .isEqualTo(1);
    }

    static JsonNode annotation(JsonNode record, String key) {
        for (JsonNode a : record.path("annotations")) {
            if (a.path("key").asString().equals(key)) {
                return a.path("value");
            }
        }
        return null;
    }

    private JsonNode awaitActivation(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Api.Response r = api.get("/api/v1/namespaces/_/activations/" + id);
            if (r.status() == 200) {
                return r.json();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("activation " + id + " never appeared");
    }

    @SuppressWarnings("unused")
    private static String json(Object o) {
        return Json.toString(o);
    }
}
