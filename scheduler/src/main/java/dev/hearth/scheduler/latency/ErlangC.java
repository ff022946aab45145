package dev.hearth.scheduler.latency;

/**
 * The M/M/c queue: Poisson arrivals at rate {@code lambda}, {@code c} servers each serving at rate
 * {@code mu}. Offered load {@code a = lambda / mu}; the queue is stable when {@code a < c}. Erlang C,
 * the probability an arrival waits, is computed from Erlang B by the stable recursion
 * {@code B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1))}, {@code C = c B / (c - a (1 - B))}. The wait of
 * one that waits is exponential with rate {@code c mu - lambda}, so
 * {@code P(W > t) = C exp(-(c mu - lambda) t)} and the p-th percentile wait is
 * {@code max(0, ln(C / (1 - p)) / (c mu - lambda))}.
 *
 * <p>Worked example: lambda 8/s, mu 10/s (100 ms service), c 1: a 0.8, C 0.8; the 99th percentile
 * wait is ln(0.8 / 0.01) / (10 - 8) = 2.19 s. With c 2: C 0.2286, p99 wait ln(22.86) / 12 = 0.261 s.
 *
 * <p>Caveat: real service times are not exponential (inference is closer to constant), so this is
 * pessimistic at high load; policies use it the same way for every function.
 */
public final class ErlangC {
    private ErlangC() {}

    /** Probability that an arrival waits; 1 when the queue is unstable, 0 when there is no load. */
    public static double probabilityOfWait(int c, double lambda, double mu) {
        if (c <= 0) {
            return 1;
        }
        double a = lambda / mu;
        if (a <= 0) {
            return 0;
        }
        if (a >= c) {
            return 1;
        }
        double b = 1;
        for (int k = 1; k <= c; k++) {
            b = a * b / (k + a * b);
        }
        return c * b / (c - a * (1 - b));
    }

    /** P(W > t) for t >= 0 seconds; 1 when unstable. */
    public static double probabilityWaitExceeds(int c, double lambda, double mu, double tSeconds) {
        if (c <= 0 || lambda >= c * mu) {
            return lambda > 0 || c <= 0 ? 1 : 0;
        }
        return probabilityOfWait(c, lambda, mu) * Math.exp(-(c * mu - lambda) * Math.max(0, tSeconds));
    }

    /** The {@code p}-th percentile wait in seconds (p in (0, 1)); infinite when unstable. */
    public static double waitPercentile(int c, double lambda, double mu, double p) {
        if (lambda <= 0) {
            return 0;
        }
        if (c <= 0 || lambda >= c * mu) {
            return Double.POSITIVE_INFINITY;
        }
        double pw = probabilityOfWait(c, lambda, mu);
        if (pw <= 1 - p) {
            return 0;
        }
        return Math.log(pw / (1 - p)) / (c * mu - lambda);
    }
}
