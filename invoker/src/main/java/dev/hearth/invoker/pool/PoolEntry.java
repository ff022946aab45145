package dev.hearth.invoker.pool;

/**
 * One container as the policy sees it.
 *
 * @param memoryMb   the action's memory limit, what the container may use at most
 * @param sharedMb   of that, weights it maps from the machine's tensor store: charged once to the machine
 *                   (in {@link PoolSnapshot#storeMb()}), not to the container
 * @param exclusiveMb of the shared, tensors no other container references: removing this container makes
 *                   them reclaimable
 */
public record PoolEntry(String id, int memoryMb, int sharedMb, int exclusiveMb, ContainerState state) {
    public PoolEntry {
        if (sharedMb < 0 || sharedMb > memoryMb || exclusiveMb < 0 || exclusiveMb > sharedMb) {
            throw new IllegalArgumentException("container " + id + ": need 0 <= exclusive " + exclusiveMb
                    + " <= shared " + sharedMb + " <= memory " + memoryMb);
        }
    }

    /** A container that shares nothing. */
    public PoolEntry(String id, int memoryMb, ContainerState state) {
        this(id, memoryMb, 0, 0, state);
    }

    /** What the container is charged: its limit less what the machine's store carries for it. */
    public int chargedMb() {
        return memoryMb - sharedMb;
    }
}
