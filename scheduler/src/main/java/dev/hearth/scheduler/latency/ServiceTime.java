package dev.hearth.scheduler.latency;

/**
 * Service time as a function of the resources a replica gets.
 *
 * <p>CPU: below one core a CFS quota throttles the whole request, {@code s(c) = s1 / c}; above one
 * core only the parallel part speeds up (Amdahl), {@code s(c) = s1 ((1 - f) + f / c)}, where
 * {@code s1} is the time at one core and {@code f} the parallel fraction. Example: ResNet-18 at 34 ms
 * per core, f 0.6: half a core 68 ms, two cores 23.8 ms.
 *
 * <p>GPU (simulation only, after HAS-GPU): an SM share {@code m} below the model's saturation share
 * slows the kernel in proportion, and a time quota {@code q} (the fraction of each scheduling period
 * the replica may run) stretches it by {@code 1 / q}: {@code s = sFull max(1, sat / m) / q}. Example:
 * 8 ms at full GPU, saturation 0.5, SM share 0.25, quota 0.5: 8 * 2 / 0.5 = 32 ms.
 *
 * <p>Caveat: contention between replicas on one invoker is the simulator's business, not this model's.
 */
public final class ServiceTime {
    private ServiceTime() {}

    public static double cpuMs(double msAtOneCore, double parallelFraction, double cores) {
        if (!(cores > 0)) {
            throw new IllegalArgumentException("a CPU share must be positive, was " + cores);
        }
        if (cores <= 1) {
            return msAtOneCore / cores;
        }
        return msAtOneCore * ((1 - parallelFraction) + parallelFraction / cores);
    }

    public static double gpuMs(double msAtFullGpu, double saturationShare, double smShare, double timeQuota) {
        if (!(smShare > 0 && smShare <= 1) || !(timeQuota > 0 && timeQuota <= 1)) {
            throw new IllegalArgumentException(
                    "SM share and time quota must be in (0, 1], were " + smShare + ", " + timeQuota);
        }
        return msAtFullGpu * Math.max(1, saturationShare / smShare) / timeQuota;
    }
}
