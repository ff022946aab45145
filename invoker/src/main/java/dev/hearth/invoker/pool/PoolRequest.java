package dev.hearth.invoker.pool;

/** A request for a container: which action, how much memory. */
public record PoolRequest(ActionKey action, int memoryMb) {}
