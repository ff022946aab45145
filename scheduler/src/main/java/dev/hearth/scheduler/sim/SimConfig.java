package dev.hearth.scheduler.sim;

/**
 * The simulated platform, the same for every policy.
 *
 * @param invokers identical machines
 * @param memoryMb memory per invoker for containers
 * @param cores CPU cores per invoker
 * @param intervalMs how often the policy runs
 * @param historyWindows rate windows a policy sees (40 x 30 s = 20 minutes)
 * @param tensorStore weights shared per machine (charged once) and loaded through the store
 * @param seed arrivals within a minute and service-time noise; the same for every policy
 */
public record SimConfig(
        int invokers,
        double memoryMb,
        double cores,
        long intervalMs,
        int historyWindows,
        boolean tensorStore,
        long seed) {
    /** 4 invokers of 4 cores and 16 GB, a policy run every 30 s over 20 minutes of history. */
    public static SimConfig standard(boolean tensorStore) {
        return new SimConfig(4, 16_000, 4, 30_000, 40, tensorStore, 7);
    }

    public SimConfig {
        if (invokers < 1 || !(memoryMb > 0) || !(cores > 0) || intervalMs < 1000 || historyWindows < 1) {
            throw new IllegalArgumentException("bad simulator configuration " + invokers + "/" + memoryMb + "/" + cores
                    + "/" + intervalMs + "/" + historyWindows);
        }
    }
}
