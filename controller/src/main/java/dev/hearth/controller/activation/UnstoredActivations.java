package dev.hearth.controller.activation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Activations this controller answered over the direct path whose records may not be stored yet, so a
 * caller who reads right after a blocking call finds its record (read-your-writes on this controller).
 *
 * <p>An invoker answers a direct call before it inserts the record, and sends the completion to Kafka
 * only after the insert. So an id is unstored from its direct answer ({@link #answered}) until its
 * completion arrives through Kafka ({@link #stored}). A read of a namespace ({@link #awaitStored}) first
 * waits until the namespace's ids answered before the read are stored, at most {@code maxWait}; an id
 * whose completion never comes (the invoker died, Kafka lost it) is dropped after {@code maxWait}, and
 * reads see what the store has. A Kafka completion may overtake its direct answer: the last
 * {@value #REMEMBERED} stored ids are remembered so that such an id is never waited for.
 *
 * <p>Another controller does not know this one's answers: behind several controllers a read may miss a
 * record for the few milliseconds its insert takes (as in OpenWhisk).
 */
public final class UnstoredActivations {
    static final int REMEMBERED = 4096;

    private record Pending(String namespace, long answeredNanos, CompletableFuture<Void> stored) {}

    private final Duration maxWait;
    private final LongSupplier nanoTime;

    // Guarded by this.
    private final Map<String, Pending> unstored = new HashMap<>();
    private final SequencedSet<String> recentlyStored = new LinkedHashSet<>();

    public UnstoredActivations(Duration maxWait) {
        this(maxWait, System::nanoTime);
    }

    UnstoredActivations(Duration maxWait, LongSupplier nanoTime) {
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
        }
        this.maxWait = maxWait;
        this.nanoTime = nanoTime;
    }

    /** A direct call of {@code namespace} was answered; its record may not be stored yet. */
    public synchronized void answered(String activationId, String namespace) {
        if (recentlyStored.remove(activationId)) {
            return; // its completion came through Kafka first: stored
        }
        if (unstored.size() >= REMEMBERED) {
            pending(""); // drops the ones whose completion was lost
        }
        unstored.put(activationId, new Pending(namespace, nanoTime.getAsLong(), new CompletableFuture<>()));
    }

    /** The completion of {@code activationId} arrived through Kafka: its record is stored (or never will be). */
    public void stored(String activationId) {
        Pending p;
        synchronized (this) {
            p = unstored.remove(activationId);
            if (p == null) {
                recentlyStored.addLast(activationId);
                if (recentlyStored.size() > REMEMBERED) {
                    recentlyStored.removeFirst();
                }
            }
        }
        if (p != null) {
            p.stored().complete(null);
        }
    }

    /** How many answered activations are not known to be stored (for tests and metrics). */
    public synchronized int count() {
        return unstored.size();
    }

    /**
     * Waits until the records of {@code namespace}'s activations answered so far are stored, at most
     * {@code maxWait}; returns at once when there are none.
     */
    public void awaitStored(String namespace) {
        List<CompletableFuture<Void>> waits = pending(namespace);
        if (waits.isEmpty()) {
            return;
        }
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new))
                    .get(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // read what the store has
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The namespace's unstored ids' futures; drops ids older than {@code maxWait} (their completion is lost). */
    private synchronized List<CompletableFuture<Void>> pending(String namespace) {
        long now = nanoTime.getAsLong();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (Iterator<Pending> it = unstored.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now - p.answeredNanos() > maxWait.toNanos()) {
                it.remove();
                p.stored().complete(null);
            } else if (p.namespace().equals(namespace)) {
                waits.add(p.stored());
            }
        }
        return waits;
    }
}
