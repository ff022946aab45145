package dev.hearth.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles and medians over measured samples (nearest-rank). */
final class Stats {
    private Stats() {}

    static double percentile(double[] samples, double p) {
        double[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    static double median(List<Double> values) {
        return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }
}
