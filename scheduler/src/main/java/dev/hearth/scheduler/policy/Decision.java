package dev.hearth.scheduler.policy;

import java.util.Map;

/**
 * A policy's answer. Per function a {@link Target}; per invoker {@code prewarmedPerInvoker} stem cells
 * (containers with the runtime and engine up, no model). Functions without a target keep OpenWhisk's
 * defaults ({@link Target#REACTIVE}).
 */
public record Decision(String policy, long atMs, Map<String, Target> targets, int prewarmedPerInvoker) {
    /** OpenWhisk's default stem-cell count, used by every policy here so all see the same platform. */
    public static final int PLATFORM_PREWARMED = 2;

    public Decision {
        targets = Map.copyOf(targets);
    }

    public Target target(String function) {
        return targets.getOrDefault(function, Target.REACTIVE);
    }

    /**
     * {@code warm}: containers to keep up (started ahead when fewer); idle warm containers above it are
     * removed (or turned into pre-loaded ones, while the pre-loaded target is not met) once idle for
     * {@code keepAliveMs}. {@code preloaded}: containers to hold with this function's model loaded.
     * {@code cpuShare}: cores per warm container. Concurrency per container is 1.
     */
    public record Target(int warm, int preloaded, double cpuShare, long keepAliveMs) {
        public static final Target REACTIVE = new Target(0, 0, 1.0, 600_000);

        public Target {
            if (warm < 0 || preloaded < 0 || !(cpuShare > 0) || keepAliveMs < 0) {
                throw new IllegalArgumentException("bad target " + warm + "/" + preloaded + "/" + cpuShare);
            }
        }
    }
}
