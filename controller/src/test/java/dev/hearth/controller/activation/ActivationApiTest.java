package dev.hearth.controller.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Activation queries over rows written as an invoker writes them. */
class ActivationApiTest {
    private static final String BASE = "/api/v1/namespaces/_/activations";
    static ControllerHarness controller;

    @BeforeAll
    static void start() {
        controller = ControllerHarness.start();
        controller.addNamespace("other");
        row("a".repeat(32), "guest", "hello", 1000, 0);
        row("b".repeat(32), "guest", "hello", 2000, 1);
        row("c".repeat(32), "guest", "pkg/world", 3000, 0);
        row("d".repeat(32), "guest", "hello", 4000, 0);
        row("e".repeat(32), "other", "hello", 5000, 0);
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    private static void row(String id, String ns, String name, long start, int status) {
        String simple = name.substring(name.lastIndexOf('/') + 1);
        String record = """
                {"namespace":"%s","name":"%s","subject":"%s","activationId":"%s","start":%d,"end":%d,"duration":5,
                 "response":{"status":"x","statusCode":%d,"success":%b,"result":{"n":%d}},
                 "logs":["line 1","line 2"],"version":"0.0.1","publish":false,
                 "annotations":[{"key":"path","value":"%s/%s"}]}
                """.formatted(ns, simple, ns, id, start, start + 5, status, status == 0, start, ns, name);
        controller
                .jdbc
                .sql("insert into activations (activation_id, namespace, name, start_ms, end_ms, status_code, "
                        + "record) values (?, ?, ?, ?, ?, ?, ?::jsonb)")
                .params(id, ns, name, start, start + 5, status, record)
                .update();
    }

    private static String ids(JsonNode list) {
        StringBuilder b = new StringBuilder();
        list.forEach(a -> b.append(a.get("activationId").asString().charAt(0)));
        return b.toString();
    }

    @Test
    void listsSummariesNewestFirst() {
        JsonNode list = controller.get(BASE).json();
        assertThat(ids(list)).isEqualTo("dcba");
        JsonNode first = list.get(0);
        assertThat(first.has("response")).isFalse();
        assertThat(first.has("logs")).isFalse();
        assertThat(first.get("statusCode").asInt()).isZero();
        assertThat(first.get("name").asString()).isEqualTo("hello");
    }

    @Test
    void filtersAndPages() {
        assertThat(ids(controller.get(BASE + "?name=hello").json())).isEqualTo("dba");
        assertThat(ids(controller.get(BASE + "?name=pkg/world").json())).isEqualTo("c");
        assertThat(ids(controller.get(BASE + "?since=2000&upto=3000").json())).isEqualTo("cb");
        assertThat(ids(controller.get(BASE + "?limit=2&skip=1").json())).isEqualTo("cb");
        JsonNode docs = controller.get(BASE + "?docs=true&limit=1").json();
        assertThat(docs.get(0).at("/response/result/n").asInt()).isEqualTo(4000);
        assertThat(docs.get(0).get("logs").size()).isEqualTo(2);
        assertThat(controller.get(BASE + "?limit=201").status()).isEqualTo(400);
        assertThat(controller.get(BASE + "?since=yesterday").status()).isEqualTo(400);
        assertThat(controller.get(BASE + "?name=a/b/c").status()).isEqualTo(400);
    }

    @Test
    void oneRecordItsResultAndItsLogs() {
        String id = "b".repeat(32);
        JsonNode full = controller.get(BASE + "/" + id).json();
        assertThat(full.get("activationId").asString()).isEqualTo(id);
        assertThat(full.at("/response/statusCode").asInt()).isEqualTo(1);
        JsonNode result = controller.get(BASE + "/" + id + "/result").json();
        assertThat(result)
                .isEqualTo(Json.tree("{\"status\":\"x\",\"statusCode\":1,\"success\":false,\"result\":{\"n\":2000}}"));
        assertThat(controller.get(BASE + "/" + id + "/logs").text()).isEqualTo("{\"logs\":[\"line 1\",\"line 2\"]}");
    }

    @Test
    void unknownOrForeignActivationsAreNotFound() {
        Reply unknown = controller.get(BASE + "/" + "f".repeat(32));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asString()).isEqualTo("The requested resource does not exist.");
        assertThat(controller.get(BASE + "/" + "e".repeat(32)).status()).isEqualTo(404);
        assertThat(controller.get(BASE + "/" + "e".repeat(32) + "/result").status())
                .isEqualTo(404);
        assertThat(controller.get("/api/v1/namespaces/other/activations").status())
                .isEqualTo(403);
        assertThat(controller.get(BASE + "/not-an-id").status()).isEqualTo(400);
    }
}
