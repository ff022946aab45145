package dev.hearth.invoker.pool;

import java.util.List;

/** What {@link PoolPolicy#schedule} decided for one request. */
public sealed interface PoolDecision {
    /** Run in this idle container, already initialised for the action. */
    record UseWarm(String containerId) implements PoolDecision {}

    /**
     * Run in this stem cell (runtime, and for models the engine, already up); {@code preloaded}: it holds
     * the action's model bundle, so {@code /init} binds it without loading.
     */
    record UsePrewarmed(String containerId, boolean preloaded) implements PoolDecision {}

    /**
     * Start a new container: free memory suffices, once {@code reclaimMb} of unreferenced tensors are
     * removed from the store (0: nothing to remove).
     */
    record ColdStart(int reclaimMb) implements PoolDecision {
        public ColdStart() {
            this(0);
        }
    }

    /**
     * Remove these idle containers (least recently used first), then {@code reclaimMb} of unreferenced
     * tensors, then start a new one.
     */
    record EvictThenColdStart(List<String> containerIds, int reclaimMb) implements PoolDecision {
        public EvictThenColdStart {
            containerIds = List.copyOf(containerIds);
        }

        public EvictThenColdStart(List<String> containerIds) {
            this(containerIds, 0);
        }
    }

    /** Nothing can be freed now: wait until a container is released. */
    record Queue() implements PoolDecision {}

    /** The request can never fit this invoker (more memory than it has for containers). */
    record Reject(String reason) implements PoolDecision {}
}
