package dev.hearth.scheduler.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.SchedulingDecision;
import dev.hearth.common.message.Topics;
import dev.hearth.scheduler.policy.HearthPolicy;
import dev.hearth.testsupport.InMemoryMessaging;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A ramp of load raises the warm target; when the load goes, it comes down. */
class SchedulingLoopTest {
    private final InMemoryMessaging messaging = new InMemoryMessaging();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LiveState state = new LiveState(40);
    private long now = 1_000_000;

    private SchedulingLoop loop() {
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now);
            }
        };
        return new SchedulingLoop(new HearthPolicy(), state, messaging.producer(), clock, 30_000, 4, registry);
    }

    private void window(int requests) {
        for (int i = 0; i < requests; i++) {
            ActivationEvent e = LiveStateTest.event("guest/resnet", 0, 100);
            state.onEvent(e);
        }
        now += 30_000;
        state.onPing(LiveStateTest.ping(0, List.of()), now);
        state.onPing(LiveStateTest.ping(1, List.of()), now);
    }

    private static int warm(SchedulingDecision d) {
        return d.functions().stream()
                .mapToInt(SchedulingDecision.FunctionTarget::warm)
                .sum();
    }

    @Test
    void raisesWarmCapacityWithTheLoadAndLowersItAfter() {
        SchedulingLoop loop = loop();
        int[] ramp = {15, 300, 900, 1800, 1800, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] warm = new int[ramp.length];
        for (int w = 0; w < ramp.length; w++) {
            window(ramp[w]);
            warm[w] = warm(loop.runOnce());
        }
        assertThat(warm[0]).isZero(); // 0.5 req/s of 100 ms is light: pre-loaded only
        assertThat(warm[2]).isGreaterThan(warm[1]);
        assertThat(warm[3]).isGreaterThanOrEqualTo(warm[2]).isGreaterThanOrEqualTo(3);
        assertThat(warm[ramp.length - 1]).isLessThan(warm[4]); // ten quiet windows later

        List<byte[]> sent = messaging.sent(Topics.SCHEDULING);
        assertThat(sent).hasSize(ramp.length);
        SchedulingDecision lastSent = Messages.decode(sent.getLast(), SchedulingDecision.class);
        assertThat(lastSent.policy()).isEqualTo("hearth");
        assertThat(lastSent.prewarm()).hasSize(2);
        assertThat(loop.lastDecisions()).first().isEqualTo(lastSent);
        assertThat(registry.get("hearth.scheduler.decisions").counter().count()).isEqualTo(ramp.length);
        assertThat(registry.get("hearth.scheduler.target.warm")
                        .tag("action", "guest/resnet")
                        .gauge()
                        .value())
                .isEqualTo(warm[ramp.length - 1]);
    }

    @Test
    void keepsTheLastTenDecisions() {
        SchedulingLoop loop = loop();
        for (int w = 0; w < 12; w++) {
            window(10);
            loop.runOnce();
        }
        assertThat(loop.lastDecisions()).hasSize(SchedulingLoop.KEPT);
        assertThat(new PolicyEndpoint(loop).policy().decisions()).hasSize(SchedulingLoop.KEPT);
        assertThat(new PolicyEndpoint(loop).policy().policy()).isEqualTo("hearth");
    }
}
