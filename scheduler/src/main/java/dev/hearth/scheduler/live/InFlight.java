package dev.hearth.scheduler.live;

import java.util.Arrays;

/**
 * The most calls of one action in flight at once among those reported in a window, from each call's
 * arrival and its time to its end (wait plus duration), by a sweep over the calls' starts and ends.
 *
 * <p>The times are whole milliseconds from two clocks (the controller's arrival, the invoker's wait and
 * duration), so a call is counted until {@link #SLACK_MS} before its reported end (half its length for a
 * shorter one, and at least half a millisecond): back-to-back calls a millisecond or two apart must not look like two at once. Calls that
 * truly overlap do so by most of their length.
 *
 * <p>Example: calls at 0 (16 ms), 18 (16 ms), 36 (16 ms) → 1; calls at 0 (16 ms) and 5 (16 ms) → 2.
 * Not thread-safe (its owner synchronises).
 */
final class InFlight {
    static final double SLACK_MS = 3;
    /** Calls kept per window at most; past it the window's peak is unknown (no bound). */
    static final int MAX_CALLS = 200_000;

    private double[] starts = new double[64];
    private double[] ends = new double[64];
    private int n;
    private boolean overflow;

    void add(long arrivedAtMs, long lengthMs) {
        if (n == MAX_CALLS) {
            overflow = true;
            return;
        }
        if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            ends = Arrays.copyOf(ends, n * 2);
        }
        starts[n] = arrivedAtMs;
        ends[n] = arrivedAtMs + Math.max(0.5, lengthMs - Math.min(SLACK_MS, lengthMs / 2.0));
        n++;
    }

    /** The window's peak ({@link Integer#MAX_VALUE} when too many calls came to keep), and a new window. */
    int peakAndClear() {
        int peak = overflow ? Integer.MAX_VALUE : peak();
        n = 0;
        overflow = false;
        return peak;
    }

    private int peak() {
        double[] s = Arrays.copyOf(starts, n);
        double[] e = Arrays.copyOf(ends, n);
        Arrays.sort(s);
        Arrays.sort(e);
        int open = 0;
        int max = 0;
        for (int i = 0, j = 0; i < n; ) {
            if (e[j] <= s[i]) { // an end at the same time as a start comes first
                open--;
                j++;
            } else {
                open++;
                i++;
                max = Math.max(max, open);
            }
        }
        return max;
    }
}
