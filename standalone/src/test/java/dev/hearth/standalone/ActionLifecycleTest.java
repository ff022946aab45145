package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.testsupport.ActionFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Create, update, get, list and delete through the gateway, against the real stack. */
class ActionLifecycleTest {
    private final Api api = RunningPlatform.guest();

    @Test
    void createGetUpdateListDelete() {
        String name = Actions.unique("life");
        ObjectNode body = Actions.body(ActionFixture.ECHO);
        body.putArray("parameters").addObject().put("key", "greeting").put("value", "hello");
        body.putObject("limits").put("timeout", 5000).put("memory", 256);

        Api.Response created = api.put("/api/v1/namespaces/_/actions/" + name, body);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("version").asString()).isEqualTo("0.0.1");

        Api.Response again = api.put("/api/v1/namespaces/_/actions/" + name, body);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().has("error")).isTrue();
        assertThat(again.json().has("code")).isTrue();

        JsonNode got = api.get("/api/v1/namespaces/_/actions/" + name).json();
        assertThat(got.path("name").asString()).isEqualTo(name);
        assertThat(got.path("namespace").asString()).isEqualTo("guest");
        assertThat(got.path("exec").path("kind").asString()).isEqualTo("java");
        assertThat(got.path("limits").path("timeout").asInt()).isEqualTo(5000);
        assertThat(got.path("parameters").get(0).path("value").asString()).isEqualTo("hello");

        ObjectNode update = Json.object();
        update.putObject("limits").put("timeout", 7000).put("memory", 256);
        Api.Response updated = api.put("/api/v1/namespaces/_/actions/" + name + "?overwrite=true", update);
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().path("version").asString()).isEqualTo("0.0.2");
        assertThat(updated.json().path("limits").path("timeout").asInt()).isEqualTo(7000);
        assertThat(updated.json().path("exec").path("main").asString()).isEqualTo(ActionFixture.ECHO.mainClass());

        JsonNode list = api.get("/api/v1/namespaces/_/actions?limit=200").json();
        assertThat(list.valueStream().map(a -> a.path("name").asString())).contains(name);

        assertThat(api.delete("/api/v1/namespaces/_/actions/" + name).status()).isEqualTo(200);
        Api.Response gone = api.get("/api/v1/namespaces/_/actions/" + name);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("error").asString()).isEqualTo("The requested resource does not exist.");
    }

    @Test
    void listHonoursLimitAndSkip() {
        for (int i = 0; i < 3; i++) {
            Actions.create(api, Actions.unique("page"), Actions.body(ActionFixture.ECHO));
        }
        assertThat(api.get("/api/v1/namespaces/_/actions?limit=2").json().size())
                .isEqualTo(2);
        JsonNode first =
                api.get("/api/v1/namespaces/_/actions?limit=1&skip=0").json().get(0);
        JsonNode second =
                api.get("/api/v1/namespaces/_/actions?limit=1&skip=1").json().get(0);
        assertThat(first.path("name").asString())
                .isNotEqualTo(second.path("name").asString());
        assertThat(api.get("/api/v1/namespaces/_/actions?limit=201").status()).isEqualTo(400);
    }

    @Test
    void namespacesListsTheGuest() {
        Api.Response r = api.get("/api/v1/namespaces");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get(0).asString()).isEqualTo("guest");
    }
}
