package dev.hearth.scheduler.policy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a policy sees: the time, the control interval, the cluster's capacity (the budget) and every
 * function's state. Immutable.
 */
public record Snapshot(long nowMs, long intervalMs, Cluster cluster, List<FunctionState> functions) {
    public Snapshot {
        functions = List.copyOf(functions);
    }

    public Map<String, FunctionState> byName() {
        return functions.stream().collect(Collectors.toMap(FunctionState::name, Function.identity()));
    }

    /** The budget: identical invokers. */
    public record Cluster(int invokers, double memoryMbPerInvoker, double coresPerInvoker) {
        public double cores() {
            return invokers * coresPerInvoker;
        }

        public double memoryMb() {
            return invokers * memoryMbPerInvoker;
        }
    }
}
