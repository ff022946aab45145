package dev.hearth.scheduler.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A trace expanded into requests, in time order: each minute's count of a function spread uniformly
 * at random over the minute, and a service-time noise factor per request (log-normal, mean 1, CV
 * 0.25). Made once per trace from the seed and shared by every policy's run, so all policies serve
 * exactly the same requests (common random numbers).
 */
record Arrivals(double[] at, int[] fn, float[] noise) {
    static final double CV = 0.25;

    static Arrivals of(Trace trace, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ trace.name().hashCode());
        int n = (int) trace.invocations();
        double[] at = new double[n];
        int[] fn = new int[n];
        float[] noise = new float[n];
        double sigma = Math.sqrt(Math.log(1 + CV * CV));
        int k = 0;
        for (int m = 0; m < trace.minutes(); m++) {
            int start = k;
            for (int f = 0; f < trace.functions().size(); f++) {
                int c = trace.functions().get(f).perMinute()[m];
                for (int i = 0; i < c; i++) {
                    at[k] = m * 60_000.0 + random.nextDouble() * 60_000.0;
                    fn[k] = f;
                    noise[k] = (float) Math.exp(sigma * TraceGenerator.gaussian(random) - sigma * sigma / 2);
                    k++;
                }
            }
            sortSlice(at, fn, noise, start, k);
        }
        return new Arrivals(at, fn, noise);
    }

    private static void sortSlice(double[] at, int[] fn, float[] noise, int from, int to) {
        Integer[] idx = new Integer[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(at[a], at[b]));
        double[] a2 = new double[idx.length];
        int[] f2 = new int[idx.length];
        float[] n2 = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            a2[i] = at[idx[i]];
            f2[i] = fn[idx[i]];
            n2[i] = noise[idx[i]];
        }
        System.arraycopy(a2, 0, at, from, idx.length);
        System.arraycopy(f2, 0, fn, from, idx.length);
        System.arraycopy(n2, 0, noise, from, idx.length);
    }

    int size() {
        return at.length;
    }
}
