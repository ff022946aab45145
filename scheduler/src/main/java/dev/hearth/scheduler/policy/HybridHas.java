package dev.hearth.scheduler.policy;

import dev.hearth.scheduler.latency.LatencyModel;
import java.util.HashMap;
import java.util.Map;

/**
 * HAS-GPU-style hybrid scaling on CPU shares: vertical first, horizontal for sustained load. Per
 * function, with its current containers {@code c} (1 if it has load and none):
 * <ol>
 *   <li>scale in by one when {@code c - 1} containers at 1 core would meet the SLO at the last rate
 *       with 20% headroom;
 *   <li>vertical: the smallest share of {@link #SHARES} whose modelled percentile latency at the last
 *       rate meets the SLO ({@link LatencyModel});
 *   <li>if none does: when the load is sustained (the smallest of the last 3 windows cannot be met by
 *       {@code c} at the largest share) scale out to the replicas 1-core containers need for the last
 *       rate; otherwise absorb the burst at the largest share.
 * </ol>
 * No load in the last 3 windows → 0 containers. A surplus container goes once idle for one interval.
 *
 * <p>Worked example, ResNet-18 (34 ms at 1 core, 68 ms at 0.5, 23.8 ms at 2), SLO 500 ms p99, 1
 * container: 10 req/s → share 1 (p99 216 ms; at 0.5 it would be 966 ms); a burst of 30 req/s → share 2
 * (p99 380 ms), still 1 container; 50 req/s for 3 windows → 1 container cannot keep up even at 2 cores,
 * so 3 containers at 1 core.
 *
 * <p>Caveats: its performance model is the same M/M/c one Hearth uses (HAS-GPU has a learnt
 * predictor); it reacts to the last window only, so a ramp costs one interval of violations; vertical
 * steps take effect at once in the simulator (cgroup writes are fast) but are bounded by the invoker's
 * cores.
 */
public final class HybridHas implements Policy {
    static final double[] SHARES = {0.5, 1.0, 2.0};
    static final int SUSTAINED_WINDOWS = 3;
    static final int MAX_REPLICAS = 64;

    @Override
    public String name() {
        return "has-hybrid";
    }

    @Override
    public Decision decide(Snapshot snapshot) {
        Map<String, Decision.Target> targets = new HashMap<>();
        for (FunctionState f : snapshot.functions()) {
            targets.put(f.name(), target(f, snapshot.intervalMs()));
        }
        return new Decision(name(), snapshot.nowMs(), targets, Decision.PLATFORM_PREWARMED);
    }

    static Decision.Target target(FunctionState f, long keepAliveMs) {
        double lambda = f.lastRate();
        double sustained = f.sustainedRate(SUSTAINED_WINDOWS);
        double slo = f.slo().latencyMs();
        double p = f.slo().percentile();
        boolean idle = true;
        for (int i = Math.max(0, f.rates().length - SUSTAINED_WINDOWS); i < f.rates().length; i++) {
            idle &= f.rates()[i] == 0;
        }
        if (idle) {
            return new Decision.Target(0, 0, 1.0, keepAliveMs);
        }
        int c = Math.max(1, f.warm());
        if (c > 1 && LatencyModel.percentileMs(c - 1, lambda, f.serviceMs(1.0), p) <= 0.8 * slo) {
            c--;
        }
        for (double share : SHARES) {
            if (LatencyModel.percentileMs(c, lambda, f.serviceMs(share), p) <= slo) {
                return new Decision.Target(c, 0, share, keepAliveMs);
            }
        }
        double max = SHARES[SHARES.length - 1];
        if (LatencyModel.percentileMs(c, sustained, f.serviceMs(max), p) > slo) {
            int out = Math.max(c, LatencyModel.minReplicas(lambda, f.serviceMs(1.0), slo, p, MAX_REPLICAS));
            return new Decision.Target(Math.min(out, MAX_REPLICAS), 0, 1.0, keepAliveMs);
        }
        return new Decision.Target(c, 0, max, keepAliveMs);
    }
}
