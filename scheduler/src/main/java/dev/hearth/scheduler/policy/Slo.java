package dev.hearth.scheduler.policy;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function's latency SLO: the {@code percentile} (a fraction, 0.99 for p99) of its requests should
 * finish within {@code latencyMs}, end to end (queueing, start and service). It comes from the action
 * annotation {@code slo}, e.g. {@code {"latencyMs": 500, "percentile": 99}}; a function without one
 * gets {@link #DEFAULT}, the "standard" class: 1000 ms at p99.
 */
public record Slo(double latencyMs, double percentile) {
    public static final Slo DEFAULT = new Slo(1000, 0.99);

    private static final Pattern LATENCY = Pattern.compile("\"latencyMs\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?)");
    private static final Pattern PERCENTILE = Pattern.compile("\"percentile\"\\s*:\\s*([0-9]+(?:\\.[0-9]+)?)");

    public Slo {
        if (!(latencyMs > 0)) {
            throw new IllegalArgumentException("slo.latencyMs must be positive, was " + latencyMs);
        }
        if (!(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("slo.percentile must be in (0, 100), was " + percentile * 100);
        }
    }

    /**
     * Reads the annotation's JSON value; {@code null} or blank gives {@link #DEFAULT}. The percentile is
     * written as in p99 (99, 99.9) and defaults to 99 when absent; latencyMs is required.
     */
    public static Slo parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return DEFAULT;
        }
        Matcher l = LATENCY.matcher(annotation);
        if (!l.find()) {
            throw new IllegalArgumentException(
                    "the slo annotation needs a numeric latencyMs, e.g. {\"latencyMs\":500,\"percentile\":99}; was "
                            + annotation);
        }
        Matcher p = PERCENTILE.matcher(annotation);
        double percentile = p.find() ? Double.parseDouble(p.group(1)) : 99;
        return new Slo(Double.parseDouble(l.group(1)), percentile / 100);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p%s<=%.0fms", trim(percentile * 100), latencyMs);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
