package dev.hearth.scheduler.policy;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.ModelProfile;
import java.util.Arrays;

/**
 * One function as a policy sees it. {@code rates} is its arrival rate (requests per second) in each of
 * the last control windows, oldest first. {@code warm} counts its containers that are up or starting
 * (busy or idle), {@code preloaded} those holding its model without serving it yet; {@code cpuShare} is
 * the share its warm containers have now. {@code peaks}, when known, is the most of its calls that were in
 * flight at once in each of those windows (same order and length as {@code rates}); empty when the source
 * cannot tell (the simulator), which sets no bound.
 */
public record FunctionState(
        String name,
        ModelProfile profile,
        Slo slo,
        double[] rates,
        int[] peaks,
        int warm,
        int preloaded,
        double cpuShare) {

    public FunctionState {
        rates = rates.clone();
        peaks = peaks.clone();
        if (peaks.length != 0 && peaks.length != rates.length) {
            throw new IllegalArgumentException(peaks.length + " peaks for " + rates.length + " rates");
        }
    }

    /** A function whose calls' overlap is not known. */
    public FunctionState(
            String name, ModelProfile profile, Slo slo, double[] rates, int warm, int preloaded, double cpuShare) {
        this(name, profile, slo, rates, new int[0], warm, preloaded, cpuShare);
    }

    /**
     * The most calls in flight at once in any window of the history; {@link Integer#MAX_VALUE} when not
     * known.
     */
    public int peakInFlight() {
        if (peaks.length == 0) {
            return Integer.MAX_VALUE;
        }
        int max = 0;
        for (int p : peaks) {
            max = Math.max(max, p);
        }
        return max;
    }

    /** The last window's rate, 0 without history. */
    public double lastRate() {
        return rates.length == 0 ? 0 : rates[rates.length - 1];
    }

    /** The smallest rate of the last {@code n} windows (sustained load). */
    public double sustainedRate(int n) {
        if (rates.length == 0) {
            return 0;
        }
        double min = Double.MAX_VALUE;
        for (int i = Math.max(0, rates.length - n); i < rates.length; i++) {
            min = Math.min(min, rates[i]);
        }
        return min;
    }

    /**
     * This function as it was {@code windows} control windows ago: the same, with the last {@code windows}
     * rates left out (none left when the history is shorter).
     */
    public FunctionState earlier(int windows) {
        if (windows < 0) {
            throw new IllegalArgumentException("windows " + windows + " < 0");
        }
        double[] older = Arrays.copyOf(rates, Math.max(0, rates.length - windows));
        int[] olderPeaks = peaks.length == 0 ? peaks : Arrays.copyOf(peaks, older.length);
        return new FunctionState(name, profile, slo, older, olderPeaks, warm, preloaded, cpuShare);
    }

    /** Whether any request arrived in the history. */
    public boolean active() {
        for (double r : rates) {
            if (r > 0) {
                return true;
            }
        }
        return false;
    }

    public double serviceMs(double cores) {
        return profile.serviceMs(cores);
    }
}
