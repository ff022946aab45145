package dev.hearth.scheduler.latency;

/**
 * A function's latency under {@code c} replicas: the M/M/c percentile wait ({@link ErlangC}) plus the
 * service time. SLO attainment, the utility that Faro-style policies maximise, is the modelled
 * fraction of requests within the SLO: {@code P(W <= slo - s) = 1 - C exp(-(c mu - lambda)(slo -
 * s))}, 0 when the service time alone breaks the SLO or the queue is unstable, 1 with no load.
 *
 * <p>Worked example: 8 req/s, 100 ms service, SLO 500 ms at p99. One replica: p99 = 2.19 s + 0.1 s,
 * attainment 1 - 0.8 e^(-2 * 0.4) = 0.641. Two replicas: p99 = 0.361 s, attainment 1 - 0.2286 e^(-12 *
 * 0.4) = 0.998; so {@code minReplicas} is 2.
 *
 * <p>Caveat: a replica serves one request at a time (OpenWhisk's default concurrency of 1).
 */
public final class LatencyModel {
    private LatencyModel() {}

    /** The p-th percentile latency in milliseconds; infinite when {@code c} replicas cannot keep up. */
    public static double percentileMs(int c, double lambdaPerS, double serviceMs, double p) {
        double wait = ErlangC.waitPercentile(c, lambdaPerS, 1000.0 / serviceMs, p);
        return wait * 1000 + serviceMs;
    }

    /** The modelled fraction of requests within {@code sloMs}, in [0, 1]. */
    public static double attainment(int c, double lambdaPerS, double serviceMs, double sloMs) {
        if (lambdaPerS <= 0) {
            return 1;
        }
        if (serviceMs > sloMs || c <= 0) {
            return 0;
        }
        double mu = 1000.0 / serviceMs;
        if (lambdaPerS >= c * mu) {
            return 0;
        }
        return 1 - ErlangC.probabilityWaitExceeds(c, lambdaPerS, mu, (sloMs - serviceMs) / 1000);
    }

    /**
     * The fewest replicas whose p-th percentile latency is within {@code sloMs}, at most {@code max};
     * {@code max + 1} when even {@code max} cannot (or the service time alone breaks the SLO).
     */
    public static int minReplicas(double lambdaPerS, double serviceMs, double sloMs, double p, int max) {
        if (lambdaPerS <= 0) {
            return 0;
        }
        if (serviceMs > sloMs) {
            return max + 1;
        }
        int c = Math.max(1, (int) Math.floor(lambdaPerS * serviceMs / 1000));
        for (; c <= max; c++) {
            if (percentileMs(c, lambdaPerS, serviceMs, p) <= sloMs) {
                return c;
            }
        }
        return max + 1;
    }
}
