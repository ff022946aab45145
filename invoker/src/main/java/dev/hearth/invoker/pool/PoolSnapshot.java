package dev.hearth.invoker.pool;

import java.util.List;

/**
 * The pool at one moment: the memory for containers and every container that holds some of it
 * (starting, busy, idle and removing ones all count until they are gone).
 */
public record PoolSnapshot(int userMemoryMb, List<PoolEntry> entries) {
    public PoolSnapshot {
        entries = List.copyOf(entries);
    }

    public int usedMemoryMb() {
        return entries.stream().mapToInt(PoolEntry::memoryMb).sum();
    }

    public int freeMemoryMb() {
        return userMemoryMb - usedMemoryMb();
    }
}
