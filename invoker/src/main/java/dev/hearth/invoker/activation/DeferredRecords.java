package dev.hearth.invoker.activation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The records of answered direct calls, written in batches by one thread of their own.
 *
 * <p>Why: storing each record on its own thread right after its answer ran one insert per record, and
 * under load as many inserts at once as records; one writer inserting whatever has queued meanwhile with one
 * statement does less work per record. Records may also wait {@code maxDelay} for others: stored one by one
 * right after each answer, a record's insert and sends (and the work they wake in PostgreSQL, the broker and
 * the consumers of the controller and the scheduler) run beside the answer's way back and the next call's
 * forward pass. Skipping them altogether made a warm ResNet-18 call ~2 ms faster at p50 on 2 cores, but a
 * 250 ms delay showed no gain above the machine's noise (session 20, {@code bench/model-latency}), so the
 * invoker's default is no delay.
 *
 * <p>How: {@link #add} queues a record; the writer waits until the oldest queued record is {@code maxDelay}
 * old or {@code maxBatch} are queued, then writes all queued (at most {@code maxBatch} at a time). With
 * {@code maxDelay} zero it writes whatever is queued at once, and records queued while a write is under
 * way go together in the next (OpenWhisk's activation store batches the same way). {@link #close} writes
 * what is queued; a record added after that is written on the caller's thread.
 *
 * @param <T> one record and what goes with it
 */
final class DeferredRecords<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeferredRecords.class);

    private final Duration maxDelay;
    private final int maxBatch;
    private final Consumer<List<T>> write;
    private final Thread writer;

    // Guarded by this.
    private List<T> queued = new ArrayList<>();
    private long oldestNanos;
    private boolean closed;

    /**
     * @param maxDelay how long a record may wait for others (zero: not at all)
     * @param maxBatch the most records written at once (1 or more)
     * @param write    writes a batch; what it throws is logged and the batch is dropped
     */
    DeferredRecords(Duration maxDelay, int maxBatch, Consumer<List<T>> write) {
        if (maxDelay.isNegative() || maxBatch < 1) {
            throw new IllegalArgumentException("maxDelay " + maxDelay + ", maxBatch " + maxBatch);
        }
        this.maxDelay = maxDelay;
        this.maxBatch = maxBatch;
        this.write = write;
        this.writer = Thread.ofPlatform().daemon().name("activation-records").start(this::writeLoop);
    }

    /** Queues {@code record}; after {@link #close} writes it on this thread. */
    void add(T record) {
        synchronized (this) {
            if (!closed) {
                if (queued.isEmpty()) {
                    oldestNanos = System.nanoTime();
                    notifyAll();
                } else if (queued.size() + 1 >= maxBatch) {
                    notifyAll();
                }
                queued.add(record);
                return;
            }
        }
        writeSafely(List.of(record));
    }

    /** Records queued and not yet taken by the writer. */
    synchronized int queued() {
        return queued.size();
    }

    private void writeLoop() {
        while (true) {
            List<T> batch;
            try {
                batch = nextBatch();
            } catch (InterruptedException e) {
                return;
            }
            if (batch == null) {
                return;
            }
            for (int from = 0; from < batch.size(); from += maxBatch) {
                writeSafely(batch.subList(from, Math.min(batch.size(), from + maxBatch)));
            }
        }
    }

    /** Waits for a batch that is due (see the class comment); null once closed and drained. */
    private synchronized List<T> nextBatch() throws InterruptedException {
        while (true) {
            if (queued.isEmpty()) {
                if (closed) {
                    return null;
                }
                wait();
                continue;
            }
            long dueInNanos = oldestNanos + maxDelay.toNanos() - System.nanoTime();
            if (closed || dueInNanos <= 0 || queued.size() >= maxBatch) {
                List<T> batch = queued;
                queued = new ArrayList<>();
                return batch;
            }
            wait(Math.max(1, dueInNanos / 1_000_000), 0);
        }
    }

    private void writeSafely(List<T> batch) {
        try {
            write.accept(batch);
        } catch (RuntimeException e) {
            log.error("cannot write {} activation records: {}", batch.size(), e.toString());
        }
    }

    /** Writes what is queued (waiting at most {@code wait}); later records are written on their callers' threads. */
    boolean close(Duration wait) {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            writer.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !writer.isAlive();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
