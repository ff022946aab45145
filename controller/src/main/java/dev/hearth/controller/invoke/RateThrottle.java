package dev.hearth.controller.invoke;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Invocations per minute per namespace, OpenWhisk-style: a counter per namespace for the current
 * wall-clock minute, reset when the minute rolls over. Every attempt counts, admitted or not.
 */
final class RateThrottle {
    private record Window(long minute, int count) {}

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Clock clock;

    RateThrottle(Clock clock) {
        this.clock = clock;
    }

    /** Counts one attempt and returns the count in the current minute, this one included. */
    int record(String namespace) {
        long minute = clock.millis() / 60_000;
        return windows.compute(
                        namespace,
                        (k, w) -> w == null || w.minute() != minute
                                ? new Window(minute, 1)
                                : new Window(minute, w.count() + 1))
                .count();
    }
}
