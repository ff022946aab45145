package dev.hearth.invoker.cpu;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Model forward passes take turns on the machine's cores: at most {@link #slots} run at once, and a
 * pass that arrives while they are taken waits for one to end rather than run beside it.
 *
 * <h2>Why</h2>
 * A forward pass is CPU-bound and parallel (libtorch's OpenMP team on every core it is given). Two at
 * once on the same cores do not share them fairly: their teams' barriers wait on threads the other
 * team has preempted, so both take far longer than twice one. Measured on this project's 2-core
 * machine (session 17, ResNet-50, two JVMs): alone 95–176 ms a pass; two at once on 2 threads each
 * 595/640 ms (up to 2.5 s), on 1 thread each 183/240. A pass already running cannot be re-split (its
 * team is fixed when it starts), so the call that arrives second is better off waiting: it ends at
 * about twice one pass instead of four times, and the first is not slowed at all.
 *
 * <h2>Algorithm</h2>
 * {@link #slots(int)}: one pass per {@value #CORES_PER_PASS} cores, at least one. A pass
 * {@linkplain #enter enters} at once when a slot is free and nobody waits. Otherwise it waits in a queue
 * ordered by CPU share, highest first (the rare-first weight puts a sparse function's call ahead of
 * a busy one's, see {@code pool.RareFirst}), then by arrival. When a slot frees, the head enters. A
 * pass that has waited {@code maxWait} enters anyway, over the slots (the gate bounds what it adds to a
 * call; past that, running beside is the lesser harm). Every pass that entered holds a slot until it
 * {@linkplain Turn#close closes its turn}. Only passes go through the gate: {@code /init} and actions
 * that are not models are not queued.
 */
public final class PassGate {
    /** Cores one forward pass is given when passes are spread over a bigger machine. */
    public static final int CORES_PER_PASS = 4;

    private final int slots;
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparingDouble(Waiter::share).reversed().thenComparingLong(Waiter::arrival));
    private int running;
    private long arrivals;

    /** @param slots the passes that may run at once (positive) */
    public PassGate(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots " + slots + " < 1");
        }
        this.slots = slots;
    }

    /** A gate that never makes a pass wait. */
    public static PassGate off() {
        return new PassGate(Integer.MAX_VALUE);
    }

    /** The gate for the cores this JVM sees. */
    public static PassGate ofThisMachine() {
        return new PassGate(slots(Runtime.getRuntime().availableProcessors()));
    }

    /** Passes at once on a machine of {@code cores}: one per {@value #CORES_PER_PASS}, at least one. */
    public static int slots(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores " + cores + " < 1");
        }
        return Math.max(1, cores / CORES_PER_PASS);
    }

    /**
     * Waits for a turn, at most {@code maxWait}; the pass runs once this returns and ends when the turn is
     * closed. A pass with a higher {@code share} waiting at the same time enters first.
     */
    public Turn enter(double share, Duration maxWait) throws InterruptedException {
        long from = System.nanoTime();
        long deadline = from + maxWait.toNanos();
        synchronized (this) {
            if (running < slots && waiting.isEmpty()) {
                running++;
                return new Turn(0, false);
            }
            Waiter me = new Waiter(share, arrivals++);
            waiting.add(me);
            try {
                while (running >= slots || waiting.peek() != me) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        waiting.remove(me);
                        running++;
                        notifyAll(); // the head may have changed
                        return new Turn(System.nanoTime() - from, true);
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                waiting.remove(me);
                notifyAll();
                throw e;
            }
            waiting.poll();
            running++;
            notifyAll(); // a second free slot lets the next one in too
            return new Turn(System.nanoTime() - from, false);
        }
    }

    /** Passes running now (including those that entered over the slots). */
    public synchronized int running() {
        return running;
    }

    /** Passes waiting for a turn now. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private record Waiter(double share, long arrival) {}

    /** One pass's turn: how long it waited, whether it gave up waiting; {@link #close} is idempotent. */
    public final class Turn implements AutoCloseable {
        private final long waitedNanos;
        private final boolean overdue;
        private boolean closed;

        private Turn(long waitedNanos, boolean overdue) {
            this.waitedNanos = waitedNanos;
            this.overdue = overdue;
        }

        /** How long the pass waited for its turn, in whole ms. */
        public long waitedMs() {
            return waitedNanos / 1_000_000;
        }

        /** True when it waited {@code maxWait} and entered over the slots. */
        public boolean overdue() {
            return overdue;
        }

        @Override
        public void close() {
            synchronized (PassGate.this) {
                if (!closed) {
                    closed = true;
                    running--;
                    PassGate.this.notifyAll();
                }
            }
        }
    }
}
