package dev.hearth.scheduler;

import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.Messages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Turns activation events into metrics per action and start kind: a count and a latency timer
 * ({@code hearth.activations}), and cold-start init time ({@code hearth.activations.init}). These
 * are the inputs the autoscaling policies will read.
 */
final class ActivityMeter {
    private final MeterRegistry registry;

    ActivityMeter(MeterRegistry registry) {
        this.registry = registry;
    }

    void accept(byte[] bytes) {
        ActivationEvent e = Messages.decode(bytes, ActivationEvent.class);
        String start = e.startKind() == null ? "unknown" : e.startKind();
        Timer.builder("hearth.activations")
                .tag("action", e.action())
                .tag("start", start)
                .tag("status", Integer.toString(e.statusCode()))
                .register(registry)
                .record(Duration.ofMillis(e.durationMs()));
        if (e.initMs() > 0) {
            Timer.builder("hearth.activations.init")
                    .tag("action", e.action())
                    .register(registry)
                    .record(Duration.ofMillis(e.initMs()));
        }
    }
}
