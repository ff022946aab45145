package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Stopping one gateway must not take down another running in the same JVM (shared Netty loops). */
class TwoGatewaysInOneJvmTest {

    @Test
    void closingOneGatewayLeavesTheOtherServing() throws Exception {
        try (StubController stub = new StubController("s");
                RunningGateway survivor = new RunningGateway("hearth.gateway.controllers=" + stub.uri())) {
            assertThat(survivor.get("/api/v1/x").statusCode()).isEqualTo(200);
            try (RunningGateway other = new RunningGateway("hearth.gateway.controllers=" + stub.uri())) {
                assertThat(other.get("/api/v1/x").statusCode()).isEqualTo(200);
            }
            assertThat(survivor.get("/api/v1/x").statusCode()).isEqualTo(200);
        }
    }
}
