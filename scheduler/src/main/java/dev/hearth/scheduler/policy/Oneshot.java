package dev.hearth.scheduler.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Oneshot (Knative's proportional rule): jump straight to the container count that puts the last
 * window's load at the target utilisation, {@code warm = ceil(lambda * s / TARGET)}. Share 1 core;
 * a surplus container goes once idle for one interval.
 *
 * <p>Worked example: 50 req/s at 34 ms is 1.7 busy cores; / 0.7 = 2.43 → 3 warm. No load → 0.
 *
 * <p>Caveats: it looks only backwards (one window), so it is always one interval late on a ramp, and
 * it scales to zero the moment a window is empty.
 */
public final class Oneshot implements Policy {
    static final double TARGET = 0.7;

    @Override
    public String name() {
        return "oneshot";
    }

    @Override
    public Decision decide(Snapshot snapshot) {
        Map<String, Decision.Target> targets = new HashMap<>();
        for (FunctionState f : snapshot.functions()) {
            double busy = f.lastRate() * f.serviceMs(1.0) / 1000;
            int warm = (int) Math.ceil(busy / TARGET - 1e-9);
            targets.put(f.name(), new Decision.Target(warm, 0, 1.0, snapshot.intervalMs()));
        }
        return new Decision(name(), snapshot.nowMs(), targets, Decision.PLATFORM_PREWARMED);
    }
}
