package dev.hearth.invoker.pool;

import java.util.List;

/** What {@link PoolPolicy#schedule} decided for one request. */
public sealed interface PoolDecision {
    /** Run in this idle container, already initialised for the action. */
    record UseWarm(String containerId) implements PoolDecision {}

    /** Start a new container: free memory suffices. */
    record ColdStart() implements PoolDecision {}

    /** Remove these idle containers (least recently used first), then start a new one. */
    record EvictThenColdStart(List<String> containerIds) implements PoolDecision {
        public EvictThenColdStart {
            containerIds = List.copyOf(containerIds);
        }
    }

    /** Nothing can be freed now: wait until a container is released. */
    record Queue() implements PoolDecision {}

    /** The request can never fit this invoker (more memory than it has for containers). */
    record Reject(String reason) implements PoolDecision {}
}
