package dev.hearth.scheduler.policy;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.LatencyModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Faro's core: share a fixed budget (cores and memory) among functions by greedy utility
 * maximisation. A function's utility with {@code c} replicas is its SLO utility, {@code min(1,
 * attainment(c) / percentile)} (1 once the modelled share of requests within the SLO reaches the
 * percentile, see {@link LatencyModel#attainment}). Every function first gets its floor ({@code min},
 * raised so its queue is stable), in order of load while the budget lasts; then replicas go one at a
 * time: SUM gives the next to the largest utility gain, FAIR to the lowest utility that can still gain
 * (max-min). It stops when no gain exceeds {@link #EPSILON} or the budget is spent.
 *
 * <p>Worked example: budget 3 cores; a: 8 req/s at 100 ms, SLO 500 ms p99; b: 1 req/s at 100 ms, same
 * SLO; floors 1 each. Utilities with 1 replica: a 0.647, b 1 (attainment 0.9973 / 0.99, capped
 * at 1). The third core goes to a (gain 0.353); a now has 1.0, so it stops: a 2, b 1.
 *
 * <p>Caveat: greedy is optimal for concave utilities; M/M/c attainment is concave in c past stability.
 */
final class UtilityAllocator {
    static final double EPSILON = 1e-3;
    static final int MAX_REPLICAS = 256;

    enum Objective {
        SUM,
        FAIR
    }

    /** One function's demand: its rate, service time and memory per replica at {@code share}. */
    record Demand(String name, double lambda, double serviceMs, Slo slo, double share, double memoryMb, int min) {
        double utility(int c) {
            return Math.min(1, LatencyModel.attainment(c, lambda, serviceMs, slo.latencyMs()) / slo.percentile());
        }

        int stableFloor() {
            if (lambda <= 0) {
                return min;
            }
            return Math.max(min, (int) Math.floor(lambda * serviceMs / 1000) + 1);
        }
    }

    private UtilityAllocator() {}

    static Map<String, Integer> allocate(List<Demand> demands, double cores, double memoryMb, Objective objective) {
        Map<String, Integer> replicas = new LinkedHashMap<>();
        double usedCores = 0;
        double usedMemory = 0;
        List<Demand> byLoad = new ArrayList<>(demands);
        byLoad.sort(Comparator.comparingDouble((Demand d) -> -d.lambda()).thenComparing(Demand::name));
        for (Demand d : byLoad) {
            int floor = Math.min(d.stableFloor(), MAX_REPLICAS);
            int fit = (int) Math.min(
                    floor,
                    Math.min(
                            Math.floor((cores - usedCores) / d.share() + 1e-9),
                            Math.floor((memoryMb - usedMemory) / d.memoryMb() + 1e-9)));
            fit = Math.max(0, fit);
            replicas.put(d.name(), fit);
            usedCores += fit * d.share();
            usedMemory += fit * d.memoryMb();
        }
        while (true) {
            Demand best = null;
            double bestGain = EPSILON;
            double bestUtility = Double.MAX_VALUE;
            for (Demand d : byLoad) {
                int c = replicas.get(d.name());
                if (c >= MAX_REPLICAS
                        || usedCores + d.share() > cores + 1e-9
                        || usedMemory + d.memoryMb() > memoryMb + 1e-9) {
                    continue;
                }
                double u = d.utility(c);
                double gain = d.utility(c + 1) - u;
                if (gain <= EPSILON) {
                    continue;
                }
                boolean better = objective == Objective.SUM
                        ? gain > bestGain + 1e-12
                        : u < bestUtility - 1e-12 || (Math.abs(u - bestUtility) <= 1e-12 && gain > bestGain);
                if (better) {
                    best = d;
                    bestGain = gain;
                    bestUtility = u;
                }
            }
            if (best == null) {
                return replicas;
            }
            replicas.merge(best.name(), 1, Integer::sum);
            usedCores += best.share();
            usedMemory += best.memoryMb();
        }
    }
}
