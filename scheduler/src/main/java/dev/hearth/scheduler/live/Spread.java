package dev.hearth.scheduler.live;

import dev.hearth.common.message.SchedulingDecision.FunctionTarget;
import dev.hearth.scheduler.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Spreads each action's cluster-wide targets over the healthy invokers: round-robin from the action's
 * home invoker (a hash of its name, as the controllers' sharding balancer picks it), so an action's
 * first container lands where its requests go first and the rest spread evenly. Pure.
 *
 * <p>Worked example: invokers [0, 1, 2], action home index 1, warm 4, pre-loaded 1: warm 1 → 2, 2 →
 * 1, 0 → 1 (invoker 1 gets the fourth), pre-loaded 1 on invoker 1. Output: invoker 0 warm 1; invoker 1
 * warm 2, pre-loaded 1; invoker 2 warm 1.
 *
 * <p>Caveat: it ignores each invoker's free memory; an invoker that cannot hold its share falls back
 * on its own pool policy.
 */
final class Spread {
    private Spread() {}

    static int home(String action, int invokers) {
        return Math.floorMod(action.hashCode(), invokers);
    }

    static List<FunctionTarget> spread(Map<String, Decision.Target> targets, List<Integer> invokers) {
        List<FunctionTarget> out = new ArrayList<>();
        if (invokers.isEmpty()) {
            return out;
        }
        int n = invokers.size();
        for (Map.Entry<String, Decision.Target> e : new TreeMap<>(targets).entrySet()) {
            Decision.Target t = e.getValue();
            int[] warm = split(t.warm(), n, home(e.getKey(), n));
            int[] preloaded = split(t.preloaded(), n, home(e.getKey(), n));
            for (int i = 0; i < n; i++) {
                if (warm[i] > 0 || preloaded[i] > 0) {
                    out.add(new FunctionTarget(
                            e.getKey(), invokers.get(i), warm[i], preloaded[i], t.cpuShare(), t.keepAliveMs()));
                }
            }
        }
        return out;
    }

    /** {@code total} dealt one at a time round-robin over {@code n} slots from {@code first}. */
    static int[] split(int total, int n, int first) {
        int[] out = new int[n];
        for (int k = 0; k < total; k++) {
            out[(first + k) % n]++;
        }
        return out;
    }
}
