package dev.hearth.scheduler.sim;

/**
 * One policy on one trace. Rates are fractions of requests; {@code cost} is resource·time in
 * core-equivalent hours, of which {@code meanCores} (cores charged) and {@code meanGb} (memory held)
 * are the time-weighted means. The series are per minute: p99 latency (ms) of requests that arrived in the
 * minute, and the mean warm and pre-loaded containers and reserved cores sampled at each interval.
 */
public record RunResult(
        String trace,
        String policy,
        long requests,
        double violationRate,
        double p50Ms,
        double p99Ms,
        double coldRate,
        double prewarmedRate,
        double preloadedRate,
        double cost,
        double meanCores,
        double meanGb,
        double[] p99PerMinute,
        double[] warmPerMinute,
        double[] preloadedPerMinute,
        double[] coresPerMinute) {}
