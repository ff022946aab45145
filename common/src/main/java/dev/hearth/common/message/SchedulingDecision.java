package dev.hearth.common.message;

import java.util.List;

/**
 * Scheduler → invokers and controllers on {@code scheduling}, once per policy interval: what the
 * autoscaling policy in force wants each invoker to hold. The contract for those who act on it:
 * <ul>
 *   <li>Each decision replaces the previous one whole. An action an invoker finds no target for keeps
 *       OpenWhisk's defaults (nothing started ahead, idle containers removed after 10 minutes). A
 *       decision older than three {@code intervalMs} is stale: fall back to the defaults.
 *   <li>{@link FunctionTarget#warm}: containers of {@code action} that {@code invoker} keeps initialised;
 *       start missing ones in the background (from a pre-loaded container first, then a stem cell, then
 *       cold). An idle container above it goes once idle for {@code keepAliveMs}: it becomes a
 *       pre-loaded container while fewer than {@link FunctionTarget#preloaded} exist, else it is removed.
 *   <li>{@link FunctionTarget#preloaded}: paused containers holding the action's model (runtime and
 *       engine up, weights mapped from the tensor store), no CPU; a request that finds no warm container
 *       takes one of these before a stem cell or a cold start.
 *   <li>{@link FunctionTarget#cpuShare}: cores for each of the action's warm containers on that invoker
 *       (a CPU quota); applies to running containers at once.
 *   <li>{@link Prewarm}: stem cells (runtime and engine up, no model) per invoker, by kind and memory.
 *   <li>Controllers may prefer, for an action, invokers that have a warm or pre-loaded target for it.
 * </ul>
 * Concurrency per container stays 1. {@code policy} names the policy, {@code decidedAt} is epoch ms.
 */
public record SchedulingDecision(
        int schema,
        String transactionId,
        String policy,
        long decidedAt,
        long intervalMs,
        List<Prewarm> prewarm,
        List<FunctionTarget> functions)
        implements Message {

    public SchedulingDecision {
        prewarm = prewarm == null ? List.of() : List.copyOf(prewarm);
        functions = functions == null ? List.of() : List.copyOf(functions);
        if (policy == null || policy.isBlank() || intervalMs <= 0) {
            throw new IllegalArgumentException("a scheduling decision needs a policy and a positive interval");
        }
    }

    /**
     * Stem cells to keep on {@code invoker} for {@code kind}; {@code memoryMb} 0 means the invoker's own
     * stem-cell size.
     */
    public record Prewarm(int invoker, String kind, int memoryMb, int count) {}

    /** One action's targets on one invoker. */
    public record FunctionTarget(
            String action, int invoker, int warm, int preloaded, double cpuShare, long keepAliveMs) {
        public FunctionTarget {
            if (action == null || warm < 0 || preloaded < 0 || !(cpuShare > 0) || keepAliveMs < 0) {
                throw new IllegalArgumentException("bad target for " + action);
            }
        }
    }
}
