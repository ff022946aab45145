package dev.hearth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ActivityMeterTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActivityMeter meter = new ActivityMeter(registry);

    private static byte[] event(String start, long init, long duration) {
        return Messages.encode(new ActivationEvent(
                Message.SCHEMA,
                "tx",
                "a".repeat(32),
                "guest/hello",
                "java",
                256,
                0,
                1000,
                3,
                init,
                duration,
                0,
                start,
                null));
    }

    @Test
    void countsActivationsPerActionAndStartKind() {
        meter.accept(event("cold", 400, 450));
        meter.accept(event("warm", 0, 5));
        meter.accept(event("warm", 0, 7));

        assertThat(registry.get("hearth.activations")
                        .tag("start", "warm")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("hearth.activations")
                        .tag("start", "cold")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("hearth.activations.init").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(400);
    }

    @Test
    void refusesAMessageOfAnotherSchema() {
        byte[] bad = "{\"schema\":9,\"action\":\"x\"}".getBytes();
        assertThatThrownBy(() -> meter.accept(bad)).isInstanceOf(Messages.MalformedMessageException.class);
    }
}
