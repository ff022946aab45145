package dev.hearth.scheduler.policy;

import dev.hearth.scheduler.forecast.ForecastSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Faro (EuroSys'25), adapted to functions: forecast each function's rate (mean of the best forecaster,
 * {@link ForecastSelector}), then share the whole cluster's cores and memory among functions by
 * maximising SLO utility ({@link UtilityAllocator}): Faro-Sum maximises the total, Faro-Fair the
 * lowest. Like Faro's inference jobs, a function that saw requests in the history keeps at least one
 * replica; one that saw none gets none. Share 1 core; a surplus container goes once idle for one interval.
 *
 * <p>Worked example (Faro-Sum): a at 8 req/s and b at 1 req/s, both 100 ms and SLO 500 ms p99, budget 3
 * cores: a 2, b 1 (see {@link UtilityAllocator}). With a budget of 2 cores: a 1, b 1 (the floors).
 *
 * <p>Caveats: it provisions for the mean forecast, so the first windows of a ramp break the SLO; every
 * function that was ever active in the history holds a whole core.
 */
public final class Faro implements Policy {
    private final UtilityAllocator.Objective objective;

    private Faro(UtilityAllocator.Objective objective) {
        this.objective = objective;
    }

    public static Faro sum() {
        return new Faro(UtilityAllocator.Objective.SUM);
    }

    public static Faro fair() {
        return new Faro(UtilityAllocator.Objective.FAIR);
    }

    @Override
    public String name() {
        return objective == UtilityAllocator.Objective.SUM ? "faro-sum" : "faro-fair";
    }

    @Override
    public Decision decide(Snapshot snapshot) {
        List<UtilityAllocator.Demand> demands = new ArrayList<>();
        for (FunctionState f : snapshot.functions()) {
            double lambda = ForecastSelector.select(f.rates()).mean();
            demands.add(new UtilityAllocator.Demand(
                    f.name(),
                    lambda,
                    f.serviceMs(1.0),
                    f.slo(),
                    1.0,
                    f.profile().residentMb(true),
                    f.active() ? 1 : 0));
        }
        Map<String, Integer> replicas = UtilityAllocator.allocate(
                demands, snapshot.cluster().cores(), Budgets.memoryForContainers(snapshot), objective);
        Map<String, Decision.Target> targets = new HashMap<>();
        replicas.forEach((name, c) -> targets.put(name, new Decision.Target(c, 0, 1.0, snapshot.intervalMs())));
        return new Decision(name(), snapshot.nowMs(), targets, Decision.PLATFORM_PREWARMED);
    }
}
