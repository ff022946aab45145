package dev.hearth.invoker.cpu;

/**
 * How many threads one activation computes on (a model's intra-op threads, {@code cpu_threads} in
 * {@code /run}), so that the activations running at once ask for about as many threads as there are cores.
 *
 * <p>Algorithm: an activation whose CPU share is {@code s}, among running activations whose shares add up
 * to {@code S} (its own included), gets {@code round(cores * s / S)} threads, at least 1 and at most
 * {@code cores}. Alone it has every core. Two of equal share on 2 cores get 1 each. A rare function's call
 * (share 10, {@code pool.RareFirst}) beside an ordinary one keeps both cores ({@code round(2 * 10 / 11) = 2})
 * and the ordinary one gets 1: the kernel gives the weighted one's threads the cores, and a single thread
 * waits at no barrier.
 *
 * <p>Why: libtorch ends its parallel regions (OpenMP) at barriers, so a forward pass on {@code n} threads
 * is as slow as its most descheduled thread. Two ResNet-50 processes on this 2-core machine, each on 2
 * threads (libtorch's default, one per core), took 595 and 640 ms per forward pass (p50, up to 2.5 s),
 * against 183 and 240 ms each on 1 thread, and 95–176 ms for one process alone on 2 threads (session 17,
 * {@code docs/architecture.md}, "Splitting the cores").
 *
 * <p>Rounding, not the floor: on 8 cores three equal activations get 3 threads each (one more than the
 * cores, rather than 2 cores idle), and a weighted call keeps the cores it is weighted to have.
 *
 * <p>Caveat: decided when a {@code /run} starts. An activation already running keeps its count when
 * others start beside it (then {@code cores + 1} threads may compute on {@code cores} cores until it ends).
 */
public final class ThreadSplit {

    private ThreadSplit() {}

    /**
     * @param cores   the machine's cores (at least 1)
     * @param share   this activation's CPU share (positive)
     * @param running the shares of every activation running now, this one's included (at least {@code share})
     */
    public static int threads(int cores, double share, double running) {
        if (cores < 1 || !(share > 0) || running < share) {
            throw new IllegalArgumentException(
                    "cores " + cores + ", share " + share + ", running " + running + ": not a split");
        }
        long fair = Math.round(cores * share / running);
        return (int) Math.max(1, Math.min(cores, fair));
    }
}
