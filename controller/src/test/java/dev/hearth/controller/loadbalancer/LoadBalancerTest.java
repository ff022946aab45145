package dev.hearth.controller.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.testsupport.InMemoryMessaging;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The service around the policy: slots held and released by completion or by deadline. */
class LoadBalancerTest {
    private Instant now = Instant.parse("2025-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        public Clock withZone(ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    };

    private final ControllerProperties properties = new Binder(
                    new MapConfigurationPropertySource(Map.of("hearth.controller.completion-grace", "5s")))
            .bindOrCreate(ControllerProperties.PREFIX, ControllerProperties.class);
    private final LoadBalancer balancer = new LoadBalancer(new InMemoryMessaging(), properties, clock, new Random(1));

    private static ActivationMessage message(String id) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx",
                id,
                "guest",
                "guest",
                "guest/a",
                "0.0.1",
                new ExecRef("java", "a.B", "0".repeat(64)),
                new ActionLimits(1000, 256, 10, 1),
                List.of(),
                Json.object(),
                true,
                0,
                0);
    }

    private void ping() {
        balancer.onHealth(
                Messages.encode(new HealthPing(Message.SCHEMA, "p", 0, 0, 512, 512, Map.of(), List.of(), List.of())));
    }

    @Test
    void completionReleasesTheSlotAndCompletesTheWaiter() {
        ping();
        var future = balancer.dispatch(message("a".repeat(32)), true).orElseThrow();
        assertThat(balancer.snapshot().usedMb()).containsEntry(0, 256);
        assertThat(balancer.inFlight("guest")).isEqualTo(1);
        balancer.onCompletion(
                Messages.encode(new CompletionMessage(Message.SCHEMA, "tx", "a".repeat(32), 0, 256, false, null)));
        assertThat(future).isCompleted();
        assertThat(balancer.snapshot().usedMb()).isEmpty();
        assertThat(balancer.inFlight("guest")).isZero();
        assertThat(balancer.waitingCount()).isZero();
    }

    @Test
    void lostCompletionIsReleasedAfterTimeoutPlusGrace() {
        ping();
        balancer.dispatch(message("b".repeat(32)), true);
        balancer.forget("b".repeat(32));
        now = now.plus(Duration.ofMillis(1000 + 4_999));
        ping();
        assertThat(balancer.snapshot().usedMb()).containsEntry(0, 256);
        now = now.plusMillis(1);
        ping();
        assertThat(balancer.snapshot().usedMb()).isEmpty();
        assertThat(balancer.waitingCount()).isZero();
    }
}
