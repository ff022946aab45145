package dev.hearth.scheduler.policy;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.ModelProfile;
import java.util.Arrays;

/**
 * One function as a policy sees it. {@code rates} is its arrival rate (requests per second) in each of
 * the last control windows, oldest first. {@code warm} counts its containers that are up or starting
 * (busy or idle), {@code preloaded} those holding its model without serving it yet; {@code cpuShare} is
 * the share its warm containers have now.
 */
public record FunctionState(
        String name, ModelProfile profile, Slo slo, double[] rates, int warm, int preloaded, double cpuShare) {

    public FunctionState {
        rates = rates.clone();
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
        return new FunctionState(name, profile, slo, older, warm, preloaded, cpuShare);
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
