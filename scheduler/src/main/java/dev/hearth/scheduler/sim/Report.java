package dev.hearth.scheduler.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulator's table (per trace × policy: SLO violations, p50/p99 latency, start kinds, cost, and
 * whether the policy is on the Pareto front of violations against cost) and Hearth's ratios against
 * each baseline, as markdown.
 */
public final class Report {
    static final String HEARTH = "hearth";

    private Report() {}

    /** Results of the same trace that no other result beats on both violations and cost. */
    static boolean onFront(RunResult r, List<RunResult> sameTrace) {
        for (RunResult o : sameTrace) {
            boolean noWorse = o.violationRate() <= r.violationRate() && o.cost() <= r.cost();
            boolean better = o.violationRate() < r.violationRate() || o.cost() < r.cost();
            if (o != r && noWorse && better) {
                return false;
            }
        }
        return true;
    }

    static Map<String, List<RunResult>> byTrace(List<RunResult> results) {
        Map<String, List<RunResult>> out = new LinkedHashMap<>();
        for (RunResult r : results) {
            out.computeIfAbsent(r.trace(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    public static String table(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "| trace | policy | requests | SLO viol. % | p50 ms | p99 ms | cold % | pre-warmed % |"
                        + " pre-loaded % | mean warm | mean pre-loaded | mean cores | mean GB | cost (core-eq·h) | Pareto front |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n");
        for (List<RunResult> trace : byTrace(results).values()) {
            for (RunResult r : trace) {
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %d | %.3f | %.0f | %.0f | %.3f | %.3f | %.3f | %.1f | %.1f | %.2f | %.1f | %.2f | %s |%n",
                        r.trace(),
                        r.policy(),
                        r.requests(),
                        100 * r.violationRate(),
                        r.p50Ms(),
                        r.p99Ms(),
                        100 * r.coldRate(),
                        100 * r.prewarmedRate(),
                        100 * r.preloadedRate(),
                        mean(r.warmPerMinute()),
                        mean(r.preloadedPerMinute()),
                        r.meanCores(),
                        r.meanGb(),
                        r.cost(),
                        onFront(r, trace) ? "yes" : ""));
            }
        }
        return sb.toString();
    }

    /**
     * Per trace and baseline: the baseline's violations over Hearth's (above 1: Hearth has fewer) and
     * Hearth's cost over the baseline's (below 1: Hearth is cheaper).
     */
    public static String ratios(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| trace | baseline | violations baseline / hearth | cost hearth / baseline | hearth fewer"
                + " violations at ≤ cost |\n");
        sb.append("|---|---|---:|---:|:---:|\n");
        for (List<RunResult> trace : byTrace(results).values()) {
            RunResult h = trace.stream()
                    .filter(r -> r.policy().equals(HEARTH))
                    .findFirst()
                    .orElse(null);
            if (h == null) {
                continue;
            }
            for (RunResult b : trace) {
                if (b == h) {
                    continue;
                }
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %s | %.2f | %s |%n",
                        b.trace(),
                        b.policy(),
                        ratio(b.violationRate(), h.violationRate()),
                        h.cost() / b.cost(),
                        h.violationRate() < b.violationRate() && h.cost() <= b.cost() ? "yes" : ""));
            }
        }
        return sb.toString();
    }

    static double mean(double[] v) {
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        return v.length == 0 ? 0 : sum / v.length;
    }

    private static String ratio(double baseline, double hearth) {
        if (hearth == 0) {
            return baseline == 0 ? "= (both 0)" : "∞ (hearth 0)";
        }
        return String.format(Locale.ROOT, "%.2f", baseline / hearth);
    }
}
