package dev.hearth.invoker.pool;

import java.time.Duration;

/**
 * CPU weight by call rate: the containers of a function whose calls are rare get {@code rareShare} times
 * the CPU weight of the others while they run.
 *
 * <p>Why: on a shared invoker a frequent function's calls overlap one another and its own load sets its
 * tail; a rare function's call arrives alone, and its latency is its own forward pass slowed by whatever
 * else runs on the cores at that moment. Weighting the rare call (least attained service across
 * functions) cuts that slowdown, and what it costs the frequent functions is bounded by the rare
 * function's total CPU time, small by definition (rate × service time).
 *
 * <p>Rule: a function is rare when its mean inter-arrival gap ({@code 1 / rate}, the {@code Arrivals}
 * Poisson estimate over its last calls, taken at the arrival of the call being served) is at least
 * {@code rareGap}, or when its rate is not known yet (a first call). Its share is then {@code rareShare};
 * every other function keeps 1.0. The result multiplies the scheduler's share for the function.
 *
 * <p>Worked example ({@code rareGap} 60 s, {@code rareShare} 10; the default gap is 4 min): a function
 * called every 40 s on average (rate 0.025/s) gets 1.0; one called every 90 s (0.0111/s) gets 10, a nice level of −10 for a process
 * container (CFS weight 9548 against 1024) or 10x its memory's CPU shares for a Docker container. Its two
 * forward-pass threads against six threads of a burst then get 2·9.3 / (2·9.3 + 6) ≈ 76% of the cores
 * instead of 25%.
 *
 * <p>The pool gives the share to a container that runs the call; one whose {@code /init} loads the model
 * gets it only for the {@code /run} ({@code ContainerPool}, {@code Lease.running}).
 *
 * <p>Caveats: a rare function with a long run holds its weight for the whole run; the rate is per invoker
 * (a function spread over many invokers looks rarer on each than it is).
 */
public final class RareFirst {
    private RareFirst() {}

    /**
     * @param ratePerSecond the function's estimated call rate; 0 or less when unknown
     * @param rareGap       the mean gap from which a function is rare
     * @param rareShare     the share of a rare function (1.0: the rule is off)
     */
    public static double share(double ratePerSecond, Duration rareGap, double rareShare) {
        if (!(ratePerSecond > 0)) {
            return rareShare;
        }
        double gapSeconds = 1.0 / ratePerSecond;
        return gapSeconds * 1e9 >= rareGap.toNanos() ? rareShare : 1.0;
    }
}
