package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testsupport.ActionFixture;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A platform stopped and started on the same data directory keeps actions and activations. */
class RestartTest {

    @Test
    void actionsAndActivationsSurviveARestart() {
        Path data = RunningPlatform.newDataDir("hearth-restart");
        String name = Actions.unique("durable");
        String id;
        String key;
        try (Platform first = Platform.start(PlatformSettings.ephemeral(data, Map.of()))) {
            Api api = new Api(first.apiHost(), first.guestKey());
            key = first.guestKey();
            Actions.create(api, name, Actions.body(ActionFixture.ECHO));
            Api.Response r = api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{\"v\":42}");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            id = r.header("x-openwhisk-activation-id");
        }
        try (Platform second = Platform.start(PlatformSettings.ephemeral(data, Map.of()))) {
            assertThat(second.guestKey()).isEqualTo(key);
            Api api = new Api(second.apiHost(), second.guestKey());
            assertThat(api.get("/api/v1/namespaces/_/actions/" + name).status()).isEqualTo(200);
            Api.Response record = api.get("/api/v1/namespaces/_/activations/" + id);
            assertThat(record.status()).isEqualTo(200);
            assertThat(record.json().path("response").path("result").path("v").asInt())
                    .isEqualTo(42);
            Api.Response again =
                    api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true&result=true", "{\"v\":43}");
            assertThat(again.status()).as(again.body()).isEqualTo(200);
        }
    }
}
