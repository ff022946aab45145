package dev.hearth.invoker.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RunRequestTest {

    /** The parameters reach the container as the controller wrote them; the rest is OpenWhisk's context. */
    @Test
    void theParametersAreCopiedIntoTheBodyAsTheyCame() {
        String params = "{ \"image\" : \"caf\\u00e9\", \"k\": [1, 2.50] }";
        RunRequest run = new RunRequest(
                RawJson.trusted(params.getBytes(StandardCharsets.UTF_8)), "ns", "/ns/a", "id", "tx", 7, null, 2);
        String body = new String(Json.toBytes(run.toJson()), StandardCharsets.UTF_8);
        assertThat(body).startsWith("{\"value\":" + params + ",");
        assertThat(Json.tree(body))
                .isEqualTo(Json.tree("{\"value\":{\"image\":\"café\",\"k\":[1,2.50]},\"namespace\":\"ns\","
                        + "\"action_name\":\"/ns/a\",\"activation_id\":\"id\",\"transaction_id\":\"tx\","
                        + "\"deadline\":\"7\",\"cpu_threads\":2}"));
    }

    @Test
    void noParametersAreAnEmptyObject() {
        RunRequest run = new RunRequest(null, "ns", "/ns/a", "id", "tx", 7, null, 0);
        assertThat(Json.tree(Json.toString(run.toJson())).get("value")).isEqualTo(Json.object());
    }
}
