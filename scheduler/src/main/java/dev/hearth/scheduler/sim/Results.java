package dev.hearth.scheduler.sim;

import dev.hearth.scheduler.latency.StartKind;
import java.util.Arrays;

/** Turns a run's per-request latencies and start kinds into a {@link RunResult}. */
final class Results {
    private Results() {}

    static RunResult of(
            Trace trace,
            String policy,
            Arrivals arrivals,
            float[] latency,
            byte[] kind,
            double cost,
            double meanCores,
            double meanGb,
            double[] warm,
            double[] preloaded,
            double[] cores,
            int[] samples) {
        int n = latency.length;
        long violations = 0;
        long[] kinds = new long[StartKind.values().length];
        double[] slo =
                trace.functions().stream().mapToDouble(f -> f.slo().latencyMs()).toArray();
        for (int r = 0; r < n; r++) {
            if (latency[r] > slo[arrivals.fn()[r]]) {
                violations++;
            }
            kinds[kind[r]]++;
        }
        float[] sorted = latency.clone();
        Arrays.sort(sorted);
        double[] p99 = new double[trace.minutes()];
        int from = 0;
        for (int m = 0; m < trace.minutes(); m++) {
            int to = from;
            while (to < n && arrivals.at()[to] < (m + 1) * 60_000.0) {
                to++;
            }
            float[] slice = Arrays.copyOfRange(latency, from, to);
            Arrays.sort(slice);
            p99[m] = percentile(slice, 0.99);
            from = to;
        }
        double[] w = new double[warm.length];
        double[] p = new double[warm.length];
        double[] c = new double[warm.length];
        for (int m = 0; m < w.length; m++) {
            int s = Math.max(1, samples[m]);
            w[m] = samples[m] == 0 && m > 0 ? w[m - 1] : warm[m] / s;
            p[m] = samples[m] == 0 && m > 0 ? p[m - 1] : preloaded[m] / s;
            c[m] = samples[m] == 0 && m > 0 ? c[m - 1] : cores[m] / s;
        }
        double total = Math.max(1, n);
        return new RunResult(
                trace.name(),
                policy,
                n,
                violations / total,
                percentile(sorted, 0.5),
                percentile(sorted, 0.99),
                kinds[StartKind.COLD.ordinal()] / total,
                kinds[StartKind.PREWARMED.ordinal()] / total,
                kinds[StartKind.PRELOADED.ordinal()] / total,
                cost,
                meanCores,
                meanGb,
                p99,
                w,
                p,
                c);
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(float[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }
}
