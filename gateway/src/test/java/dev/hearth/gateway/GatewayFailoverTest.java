package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One of two controllers is down; another answers too slowly. */
class GatewayFailoverTest {

    private static StubController live;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        live = new StubController("live");
        gateway = new RunningGateway(
                "hearth.gateway.controllers=" + RunningGateway.deadUri() + "," + live.uri(),
                "hearth.gateway.response-timeout=700ms");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        live.close();
    }

    @Test
    void aRefusedConnectionFailsOverToTheNextControllerWithTheBody() {
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = gateway.send(gateway.request("/api/v1/echo")
                    .POST(HttpRequest.BodyPublishers.ofString("body-" + i))
                    .build());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("body-" + i);
        }
        assertThat(live.seen().stream().filter(s -> s.path().equals("/api/v1/echo")))
                .hasSize(6)
                .allSatisfy(s ->
                        assertThat(new String(s.body(), StandardCharsets.UTF_8)).startsWith("body-"));
    }

    @Test
    void aResponseTimeoutIs503AndIsNotRetried() {
        long start = System.nanoTime();
        HttpResponse<String> response = gateway.get("/api/v1/slow");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body())
                .startsWith("{\"error\":\"The service is temporarily unavailable: no controller answered.\"");
        assertThat(millis).isBetween(600L, 2900L);
    }
}
