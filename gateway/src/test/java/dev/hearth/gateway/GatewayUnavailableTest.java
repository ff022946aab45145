package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway when no controller answers: 503 in OpenWhisk's shape, and the circuit opens. */
class GatewayUnavailableTest {

    private static RunningGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new RunningGateway(
                "hearth.gateway.controllers=" + RunningGateway.deadUri() + "," + RunningGateway.deadUri(),
                "hearth.gateway.circuit-breaker.sliding-window-size=4",
                "hearth.gateway.circuit-breaker.minimum-number-of-calls=4",
                "hearth.gateway.circuit-breaker.wait-in-open-state=60s");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void answers503WithTheTransactionIdWhileRefusedAndWhenTheCircuitIsOpen() {
        CircuitBreaker breaker = gateway.context().getBean(CircuitBreaker.class);
        for (int i = 0; i < 6; i++) {
            String tid = "tid-" + i;
            HttpResponse<String> response = gateway.send(gateway.request("/api/v1/namespaces/_/actions/x?blocking=true")
                    .header("X-Request-ID", tid)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .build());

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow())
                    .startsWith("application/json");
            assertThat(response.headers().firstValue("X-Request-ID")).hasValue(tid);
            assertThat(response.body())
                    .isEqualTo(
                            "{\"error\":\"The service is temporarily unavailable: no controller answered.\",\"code\":\""
                                    + tid + "\"}");
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(breaker.getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(2);
    }
}
