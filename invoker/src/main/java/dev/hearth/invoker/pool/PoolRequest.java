package dev.hearth.invoker.pool;

/**
 * A request for a container: which action, of which kind, how much memory.
 *
 * @param kind           the action's kind; a stem cell of this kind and memory can serve it (null: none can)
 * @param storedMb       of the action's weights, those the machine's tensor store already holds (known
 *                       from the bundle's tensor index): a new container maps them, so they cost nothing new
 * @param unreferencedMb of those, the ones no container references now: they must not be reclaimed to make
 *                       room for this very request
 */
public record PoolRequest(ActionKey action, String kind, int memoryMb, int storedMb, int unreferencedMb) {
    public PoolRequest {
        if (storedMb < 0 || storedMb > memoryMb || unreferencedMb < 0 || unreferencedMb > storedMb) {
            throw new IllegalArgumentException("request for " + action.path() + ": need 0 <= unreferenced "
                    + unreferencedMb + " <= stored " + storedMb + " <= memory " + memoryMb);
        }
    }

    public PoolRequest(ActionKey action, int memoryMb, int storedMb, int unreferencedMb) {
        this(action, null, memoryMb, storedMb, unreferencedMb);
    }

    /** A request whose weights the store does not hold (or that shares nothing). */
    public PoolRequest(ActionKey action, int memoryMb) {
        this(action, null, memoryMb, 0, 0);
    }

    public PoolRequest(ActionKey action, String kind, int memoryMb) {
        this(action, kind, memoryMb, 0, 0);
    }

    /** The same request with what the store holds of its weights. */
    public PoolRequest withStored(int stored, int unreferenced) {
        return new PoolRequest(action, kind, memoryMb, stored, unreferenced);
    }

    /** The memory a new container adds to the pool's charge. */
    public int neededMb() {
        return memoryMb - storedMb;
    }
}
