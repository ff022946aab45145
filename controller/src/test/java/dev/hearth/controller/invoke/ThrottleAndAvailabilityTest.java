package dev.hearth.controller.invoke;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.loadbalancer.LoadBalancer;
import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import dev.hearth.controller.support.FakeInvoker;
import dev.hearth.controller.support.Jars;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 503 without invokers, then the concurrent and per-minute throttles. The clock is fixed, so the
 * minute never rolls over and invoker pings never age.
 */
class ThrottleAndAvailabilityTest {
    private static final String ACTION = "/api/v1/namespaces/_/actions/t";
    static ControllerHarness controller;

    @BeforeAll
    static void start() {
        controller = ControllerHarness.start(
                Clock.fixed(Instant.parse("2025-01-01T00:00:10Z"), ZoneOffset.UTC),
                "hearth.controller.throttles.invocations-per-minute=4",
                "hearth.controller.throttles.concurrent-invocations=1");
        assertThat(controller.put(ACTION, Jars.javaAction("t", null)).status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    @Test
    void noInvokersThenConcurrentThenRate() throws Exception {
        Reply none = controller.post(ACTION, "{}");
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.json().get("error").asString()).isEqualTo("No invokers available.");
        assertThat(none.header("x-openwhisk-activation-id")).matches("[0-9a-f]{32}");

        try (FakeInvoker silent = new FakeInvoker(controller.messaging, controller.jdbc, 0, 1024).start()) {
            while (controller.bean(LoadBalancer.class).snapshot().invokers().isEmpty()) {
                Thread.sleep(20);
            }
            assertThat(controller.post(ACTION, "{\"mode\":\"silent\"}").status())
                    .isEqualTo(202);
            Reply concurrent = controller.post(ACTION, "{}");
            assertThat(concurrent.status()).isEqualTo(429);
            assertThat(concurrent.json().get("error").asString())
                    .isEqualTo("Too many concurrent requests in flight (count: 1, allowed: 1).");
            assertThat(controller.post(ACTION, "{}").status()).isEqualTo(429);
            Reply rate = controller.post(ACTION, "{}");
            assertThat(rate.status()).isEqualTo(429);
            assertThat(rate.json().get("error").asString())
                    .isEqualTo("Too many requests in the last minute (count: 5, allowed: 4).");
        }
    }
}
