package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway in front of two healthy stand-in controllers. */
class GatewayRoutingTest {

    private static final String AUTH = "Basic "
            + Base64.getEncoder()
                    .encodeToString(
                            "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP"
                                    .getBytes(StandardCharsets.UTF_8));

    private static StubController a;
    private static StubController b;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        a = new StubController("a");
        b = new StubController("b");
        gateway = new RunningGateway(
                "hearth.gateway.controllers=" + a.uri() + "," + b.uri(),
                "hearth.gateway.circuit-breaker.sliding-window-size=4",
                "hearth.gateway.circuit-breaker.minimum-number-of-calls=2");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        a.close();
        b.close();
    }

    @BeforeEach
    void clear() {
        a.clear();
        b.clear();
    }

    private static StubController.Seen lastSeen() {
        return a.seen().size() + b.seen().size() == 0 ? null : (a.seen().isEmpty() ? b.last() : a.last());
    }

    @Test
    void forwardsPathQueryMethodBodyAndAuthAndReturnsTheResponseUnchanged() {
        HttpResponse<String> response =
                gateway.send(gateway.request("/api/v1/namespaces/_/actions/hello?blocking=true&result=true&x=a%2Fb")
                        .header("Authorization", AUTH)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Hearth\"}"))
                        .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("\\{\"stub\":\"[ab]\"}");
        assertThat(response.headers().firstValue("x-openwhisk-activation-id"))
                .hasValue("0123456789abcdef0123456789abcdef");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        StubController.Seen seen = lastSeen();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.path()).isEqualTo("/api/v1/namespaces/_/actions/hello");
        assertThat(seen.rawQuery()).isEqualTo("blocking=true&result=true&x=a%2Fb");
        assertThat(seen.header("Authorization")).isEqualTo(AUTH);
        assertThat(new String(seen.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Hearth\"}");
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo(gateway.uri("/").getRawAuthority());
        assertThat(seen.header("Host")).isNotEqualTo(gateway.uri("/").getRawAuthority());
    }

    /**
     * Nothing reads the gateway's meters (its actuator shows health only), so a proxied request records
     * none: no {@code http.server.requests} observation, no gateway request timer, no observed headers.
     * Each cost CPU on every call's way through the gateway (session 26's profile).
     */
    @Test
    void aProxiedRequestRecordsNoMetersOrObservations() {
        gateway.get("/api/v1/namespaces");

        MeterRegistry meters = gateway.context().getBean(MeterRegistry.class);
        assertThat(meters.getMeters())
                .extracting(m -> m.getId().getName())
                .noneMatch(name -> name.startsWith("http.server")
                        || name.startsWith("spring.cloud.gateway.requests")
                        || name.startsWith("http.client"));
    }

    /**
     * A controller's answer of unknown length (Spring MVC's JSON is chunked) goes back chunked on the kept-alive
     * connection. Before the fix the gateway sent it without a length and closed the connection after each
     * such answer, so every call paid a new connection.
     */
    @Test
    void aChunkedAnswerKeepsTheClientsConnection() throws Exception {
        try (RawHttpConnection connection = new RawHttpConnection(gateway.uri("/"), Duration.ofSeconds(5))) {
            for (int i = 0; i < 3; i++) {
                connection.send(connection.post("/api/v1/chunked", "{\"i\":" + i + "}"));
                RawHttpConnection.Response answer = connection.read();

                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).matches("\\{\"chunked\":\"[ab]\"}");
                assertThat(answer.headers())
                        .contains("transfer-encoding: chunked")
                        .doesNotContain("connection: close");
            }
        }
    }

    @Test
    void generatesATransactionIdAndForwardsIt() {
        HttpResponse<String> response = gateway.get("/api/v1/namespaces");

        String id = response.headers().firstValue("X-Request-ID").orElseThrow();
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(lastSeen().header("X-Request-ID")).isEqualTo(id);
    }

    @Test
    void keepsAValidTransactionIdAndReplacesAnInvalidOne() {
        HttpResponse<String> kept = gateway.send(gateway.request("/api/v1/namespaces")
                .header("X-Request-ID", "my-tid.42")
                .GET()
                .build());
        assertThat(kept.headers().firstValue("X-Request-ID")).hasValue("my-tid.42");
        assertThat(lastSeen().header("X-Request-ID")).isEqualTo("my-tid.42");

        HttpResponse<String> replaced = gateway.send(gateway.request("/api/v1/namespaces")
                .header("X-Request-ID", "bad id;<script>")
                .GET()
                .build());
        assertThat(replaced.headers().firstValue("X-Request-ID").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void upstreamErrorsPassThroughAndDoNotOpenTheCircuit() {
        CircuitBreaker breaker = gateway.context().getBean(CircuitBreaker.class);
        for (int status : new int[] {502, 404, 401, 413, 500, 503, 502, 502, 502, 502}) {
            HttpResponse<String> response = gateway.get("/api/v1/status/" + status);
            assertThat(response.statusCode()).isEqualTo(status);
            assertThat(response.body()).isEqualTo("{\"error\":\"status " + status + "\",\"code\":\"up\"}");
            assertThat(response.headers().firstValue("x-openwhisk-activation-id"))
                    .isPresent();
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void roundRobinsAcrossControllers() {
        for (int i = 0; i < 10; i++) {
            assertThat(gateway.get("/api/v1/namespaces").statusCode()).isEqualTo(200);
        }
        assertThat(a.seen()).hasSize(5);
        assertThat(b.seen()).hasSize(5);
    }

    @Test
    void aFiveMegabyteBodyPassesThroughBothWays() {
        byte[] body = new byte[5 * 1024 * 1024];
        new Random(42).nextBytes(body);
        HttpResponse<byte[]> response = gateway.send(
                gateway.request("/api/v1/echo")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void aFiftyMegabyteBodyReachesTheController() {
        byte[] body = new byte[50 * 1024 * 1024];
        new Random(7).nextBytes(body);
        HttpResponse<String> response = gateway.send(gateway.request("/api/v1/digest")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .isEqualTo("{\"length\":" + body.length + ",\"sha256\":\"" + StubController.sha256(body) + "\"}");
    }

    @Test
    void pathsOutsideApiAreNotFoundInOpenWhiskShape() {
        HttpResponse<String> response = gateway.send(gateway.request("/nothing/here")
                .header("X-Request-ID", "tid-404")
                .GET()
                .build());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("tid-404");
        assertThat(response.body())
                .isEqualTo("{\"error\":\"The requested resource does not exist.\",\"code\":\"tid-404\"}");
        assertThat(a.seen()).isEmpty();
        assertThat(b.seen()).isEmpty();
    }

    @Test
    void answersPingAndHealthItself() {
        HttpResponse<String> ping = gateway.get("/ping");
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");

        HttpResponse<String> health = gateway.get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"");
        assertThat(a.seen()).isEmpty();
    }
}
