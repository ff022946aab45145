package dev.hearth.invoker.pool;

/** One container as the policy sees it. */
public record PoolEntry(String id, int memoryMb, ContainerState state) {}
