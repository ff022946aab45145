package dev.hearth.scheduler.policy;

import dev.hearth.scheduler.latency.Measured;

/** Budget arithmetic shared by the budgeted policies. */
final class Budgets {
    private Budgets() {}

    /** Cluster memory left for function containers once the platform's stem cells are counted. */
    static double memoryForContainers(Snapshot s) {
        double stemCells =
                s.cluster().invokers() * Decision.PLATFORM_PREWARMED * (Measured.RUNTIME_MB + Measured.ENGINE_MB);
        return Math.max(0, s.cluster().memoryMb() - stemCells);
    }
}
