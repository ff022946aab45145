package dev.hearth.scheduler.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Additive increase, additive decrease on utilisation. Utilisation is the last window's busy time per
 * warm container, {@code u = lambda * s / warm}; above {@link #HIGH} add one container, below {@link
 * #LOW} remove one; a function with load and no container gets one. Share 1 core; a surplus container
 * goes once idle for one interval.
 *
 * <p>Worked example: 2 warm, 50 req/s, 34 ms: u = 1.7 / 2 = 0.85 > 0.7 → 3. With 10 req/s: u = 0.17
 * < 0.3 → 1. No load and 1 warm → 0.
 *
 * <p>Caveats: one step per interval, so a burst that needs ten more containers takes ten intervals;
 * it knows nothing of SLOs or cold starts.
 */
public final class Aiad implements Policy {
    static final double HIGH = 0.7;
    static final double LOW = 0.3;

    @Override
    public String name() {
        return "aiad";
    }

    @Override
    public Decision decide(Snapshot snapshot) {
        Map<String, Decision.Target> targets = new HashMap<>();
        for (FunctionState f : snapshot.functions()) {
            double busy = f.lastRate() * f.serviceMs(1.0) / 1000;
            int warm = f.warm();
            if (warm == 0) {
                warm = busy > 0 ? 1 : 0;
            } else {
                double u = busy / warm;
                if (u > HIGH) {
                    warm++;
                } else if (u < LOW) {
                    warm--;
                }
            }
            targets.put(f.name(), new Decision.Target(warm, 0, 1.0, snapshot.intervalMs()));
        }
        return new Decision(name(), snapshot.nowMs(), targets, Decision.PLATFORM_PREWARMED);
    }
}
