package dev.hearth.invoker.preload;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per function, the statistics the pre-loader decides on: arrivals (count, last, an inter-arrival
 * histogram with power-of-two second buckets, and a Poisson rate estimate), the function's model
 * (bundle digest, kind, memory) and the model-load time last observed on a non-warm start.
 *
 * <p>The rate is the maximum-likelihood Poisson estimate over a sliding window of the last
 * {@value #WINDOW} inter-arrival times, with the time since the last arrival as a censored gap:
 * n / (sum of the n gaps + (now − last)). It follows load changes within a few calls and decays while a
 * function is silent; with one arrival it is unknown (0).
 *
 * <p>Peak concurrency: the most calls of the function in flight at once, as seen at each of the last
 * {@value #WINDOW} arrivals (itself included). A burst of five keeps the peak at five until sixteen
 * calls later; a steady function whose calls never overlap has a peak of one. Thread-safe.
 */
public final class Arrivals {
    static final int WINDOW = 16;
    static final int BUCKETS = 20; // up to 2^19 s ≈ 6 days

    /** What the policy sees of one function. */
    public record Function(
            String path,
            String digest,
            String kind,
            int memoryMb,
            long count,
            Instant last,
            double ratePerSecond,
            long modelLoadMs,
            long[] histogram,
            int peakConcurrency) {}

    private static final class Stats {
        String digest;
        String kind;
        int memoryMb;
        long count;
        Instant last;
        final ArrayList<Double> gaps = new ArrayList<>();
        final long[] histogram = new long[BUCKETS];
        long modelLoadMs;
        int inFlight;
        final ArrayList<Integer> concurrency = new ArrayList<>();
    }

    private final Map<String, Stats> byPath = new LinkedHashMap<>();

    /** An activation of {@code path} arrived at {@code now}. */
    public synchronized void arrived(String path, String digest, String kind, int memoryMb, Instant now) {
        Stats s = byPath.computeIfAbsent(path, p -> new Stats());
        s.digest = digest;
        s.kind = kind;
        s.memoryMb = memoryMb;
        if (s.last != null) {
            double gap = Math.max(0.001, Duration.between(s.last, now).toNanos() / 1e9);
            s.gaps.add(gap);
            if (s.gaps.size() > WINDOW) {
                s.gaps.removeFirst();
            }
            int bucket = Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros((long) gap));
            s.histogram[bucket]++;
        }
        if (s.last == null || now.isAfter(s.last)) {
            s.last = now;
        }
        s.count++;
        s.inFlight++;
        s.concurrency.add(s.inFlight);
        if (s.concurrency.size() > WINDOW) {
            s.concurrency.removeFirst();
        }
    }

    /** An activation of {@code path} (announced by {@link #arrived}) has finished, however it ended. */
    public synchronized void finished(String path) {
        Stats s = byPath.get(path);
        if (s != null && s.inFlight > 0) {
            s.inFlight--;
        }
    }

    /** The action at {@code path} changed (updated or deleted): what was learnt of it goes. */
    public synchronized void forget(String path) {
        byPath.remove(path);
    }

    /** A non-warm start of {@code path} loaded its model in {@code modelLoadMs}. */
    public synchronized void loaded(String path, long modelLoadMs) {
        Stats s = byPath.get(path);
        if (s != null && modelLoadMs > 0) {
            s.modelLoadMs = modelLoadMs;
        }
    }

    /**
     * The rate estimate as of {@code path}'s last arrival (n / the sum of its last n gaps, without the
     * open one): what the call just announced by {@link #arrived} tells. 0 when unknown (fewer than two
     * arrivals, or a function never seen).
     */
    public synchronized double rateAtLastArrival(String path) {
        Stats s = byPath.get(path);
        if (s == null || s.gaps.isEmpty()) {
            return 0;
        }
        return s.gaps.size() / s.gaps.stream().mapToDouble(Double::doubleValue).sum();
    }

    public synchronized List<Function> functions(Instant now) {
        List<Function> out = new ArrayList<>();
        byPath.forEach((path, s) -> {
            double open = s.last == null
                    ? 0
                    : Math.max(0, Duration.between(s.last, now).toNanos() / 1e9);
            double sum = s.gaps.stream().mapToDouble(Double::doubleValue).sum() + open;
            double rate = s.gaps.isEmpty() ? 0 : s.gaps.size() / sum;
            int peak = s.concurrency.stream().mapToInt(Integer::intValue).max().orElse(0);
            out.add(new Function(
                    path,
                    s.digest,
                    s.kind,
                    s.memoryMb,
                    s.count,
                    s.last,
                    rate,
                    s.modelLoadMs,
                    s.histogram.clone(),
                    peak));
        });
        return out;
    }
}
