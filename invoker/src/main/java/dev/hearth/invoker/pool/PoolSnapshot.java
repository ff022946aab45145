package dev.hearth.invoker.pool;

import java.util.List;

/**
 * The pool at one moment: the memory for containers and every container that holds some of it
 * (starting, busy, idle and removing ones all count until they are gone), plus the machine's tensor
 * store, charged once however many containers map it.
 *
 * @param storeMb        every tensor the store holds (referenced or not: they occupy shared memory)
 * @param reclaimableMb  of those, tensors no container references: the janitor may remove them
 */
public record PoolSnapshot(int userMemoryMb, List<PoolEntry> entries, int storeMb, int reclaimableMb) {
    public PoolSnapshot {
        entries = List.copyOf(entries);
        if (storeMb < 0 || reclaimableMb < 0 || reclaimableMb > storeMb) {
            throw new IllegalArgumentException("need 0 <= reclaimable " + reclaimableMb + " <= store " + storeMb);
        }
    }

    /** A pool without a tensor store (sharing off). */
    public PoolSnapshot(int userMemoryMb, List<PoolEntry> entries) {
        this(userMemoryMb, entries, 0, 0);
    }

    /** Every container's charge plus the store, once. */
    public int usedMemoryMb() {
        return entries.stream().mapToInt(PoolEntry::chargedMb).sum() + storeMb;
    }

    public int freeMemoryMb() {
        return userMemoryMb - usedMemoryMb();
    }

    /** Action path → containers holding its code (starting, busy or idle), as warm targets count them. */
    public java.util.Map<String, Integer> initialisedByAction() {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        for (PoolEntry e : entries) {
            ActionKey a = switch (e.state()) {
                case ContainerState.Starting s -> s.action();
                case ContainerState.Busy b -> b.action();
                case ContainerState.Idle i -> i.action();
                default -> null;
            };
            if (a != null) {
                out.merge(a.path(), 1, Integer::sum);
            }
        }
        return out;
    }

    /** What a new container could have without evicting anything: free memory plus reclaimable tensors. */
    public int availableMemoryMb() {
        return freeMemoryMb() + reclaimableMb;
    }
}
