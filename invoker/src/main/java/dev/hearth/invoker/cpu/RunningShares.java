package dev.hearth.invoker.cpu;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The activations running on this invoker's machine now, each with its CPU share, and the threads the
 * {@link ThreadSplit} gives one of them. An activation {@linkplain #enter enters} once it has its
 * container (its {@code /init} computes too) and leaves when its {@code /run} ends; {@link #off()}
 * splits nothing (every activation computes on the threads its runtime chooses).
 */
public final class RunningShares {

    private final int cores;
    private final Map<Running, Double> running = new IdentityHashMap<>();
    private double total;

    /** @param cores the cores to split; 0: {@link #off()} */
    public RunningShares(int cores) {
        if (cores < 0) {
            throw new IllegalArgumentException("cores " + cores + " < 0");
        }
        this.cores = cores;
    }

    /** Splits nothing: {@link #threads} is always 0. */
    public static RunningShares off() {
        return new RunningShares(0);
    }

    /** The cores of the machine this JVM sees. */
    public static RunningShares ofThisMachine() {
        return new RunningShares(Runtime.getRuntime().availableProcessors());
    }

    /** An activation with CPU share {@code share} (positive) starts running; close what this returns when it ends. */
    public synchronized Running enter(double share) {
        if (!(share > 0)) {
            throw new IllegalArgumentException("share " + share + " is not positive");
        }
        Running r = new Running(share);
        running.put(r, share);
        total += share;
        return r;
    }

    /** The threads {@code r} computes on now; 0 when splitting is off or {@code r} has ended. */
    public synchronized int threads(Running r) {
        Double share = running.get(r);
        if (cores == 0 || share == null) {
            return 0;
        }
        return ThreadSplit.threads(cores, share, Math.max(total, share));
    }

    /** How many activations are running. */
    public synchronized int count() {
        return running.size();
    }

    private synchronized void leave(Running r) {
        Double share = running.remove(r);
        if (share != null) {
            total = running.isEmpty() ? 0 : total - share; // no rounding drift once all have left
        }
    }

    private synchronized void resume(Running r) {
        if (!r.closed && !running.containsKey(r)) {
            running.put(r, r.share);
            total += r.share;
        }
    }

    /**
     * One running activation. While it waits (for its turn at the {@link PassGate}) it can
     * {@linkplain #suspend step aside}: it takes no share of the cores until it {@linkplain #resume resumes}.
     * {@link #close} is idempotent.
     */
    public final class Running implements AutoCloseable {
        private final double share;
        private boolean closed;

        private Running(double share) {
            this.share = share;
        }

        /** Takes no share of the cores until {@link #resume}. */
        public void suspend() {
            leave(this);
        }

        /** Takes its share again (nothing once closed). */
        public void resume() {
            RunningShares.this.resume(this);
        }

        @Override
        public void close() {
            synchronized (RunningShares.this) {
                closed = true;
                leave(this);
            }
        }
    }
}
