package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testsupport.ActionFixture;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Bad input through the whole path: OpenWhisk-shaped errors, and nothing stored is lost. */
class ErrorsTest {
    private final Api api = RunningPlatform.guest();

    private static void assertOpenWhiskError(Api.Response r, int status) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").asString()).isNotBlank();
        assertThat(r.json().path("code").asString()).isNotBlank();
    }

    @Test
    void missingAuthIs401() {
        assertOpenWhiskError(api.as(null).get("/api/v1/namespaces/_/actions"), 401);
    }

    @Test
    void wrongKeyIs401() {
        String uuid = RunningPlatform.get().guestKey().split(":")[0];
        assertOpenWhiskError(api.as(uuid + ":not-the-key").get("/api/v1/namespaces/_/actions"), 401);
        assertOpenWhiskError(api.as("garbage").get("/api/v1/namespaces/_/actions"), 401);
    }

    @Test
    void anotherNamespacesActionsAndActivationsAreNotVisible() {
        String name = Actions.unique("private");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        Api.Response run = api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{}");
        String id = run.header("x-openwhisk-activation-id");
        Api other = api.as(RunningPlatform.OTHER_KEY);

        assertThat(other.get("/api/v1/namespaces/_/actions/" + name).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/namespaces/guest/actions/" + name).status())
                .isEqualTo(403);
        assertThat(other.post("/api/v1/namespaces/guest/actions/" + name + "?blocking=true", "{}")
                        .status())
                .isEqualTo(403);
        assertThat(other.get("/api/v1/namespaces/_/activations/" + id).status()).isEqualTo(404);
        assertThat(other.get("/api/v1/namespaces/_/activations?docs=true").body())
                .doesNotContain(id);
        assertThat(other.get("/api/v1/namespaces").json().get(0).asString()).isEqualTo("other");
    }

    @Test
    void malformedJsonIs400AndTheActionSurvives() {
        String name = Actions.unique("malformed");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        assertOpenWhiskError(api.put("/api/v1/namespaces/_/actions/" + name + "?overwrite=true", "{\"exec\":"), 400);
        assertOpenWhiskError(api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{not json"), 400);
        assertThat(api.get("/api/v1/namespaces/_/actions/" + name).status()).isEqualTo(200);
    }

    @Test
    void aPayloadOverTheLimitIs413() {
        String name = Actions.unique("big");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        String big = "{\"blob\":\"" + "x".repeat(1_100_000) + "\"}";
        assertOpenWhiskError(api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", big), 413);
    }

    @Test
    void invalidNamesAndLimitsAre400() {
        assertOpenWhiskError(
                api.put("/api/v1/namespaces/_/actions/-bad%20name-", Actions.body(ActionFixture.ECHO)), 400);
        ObjectNode tooMuchMemory = Actions.body(ActionFixture.ECHO);
        tooMuchMemory.putObject("limits").put("memory", 100_000);
        assertOpenWhiskError(api.put("/api/v1/namespaces/_/actions/" + Actions.unique("mem"), tooMuchMemory), 400);
        ObjectNode tooShort = Actions.body(ActionFixture.ECHO);
        tooShort.putObject("limits").put("timeout", 1);
        assertOpenWhiskError(api.put("/api/v1/namespaces/_/actions/" + Actions.unique("tmo"), tooShort), 400);
        ObjectNode notAJar = Actions.body(ActionFixture.ECHO);
        ((ObjectNode) notAJar.path("exec")).put("code", "bm90IGEgamFy");
        assertOpenWhiskError(api.put("/api/v1/namespaces/_/actions/" + Actions.unique("nojar"), notAJar), 400);
    }

    @Test
    void unknownActivationIs404() {
        assertOpenWhiskError(api.get("/api/v1/namespaces/_/activations/0123456789abcdef0123456789abcdef"), 404);
    }
}
