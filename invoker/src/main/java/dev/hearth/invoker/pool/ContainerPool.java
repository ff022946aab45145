package dev.hearth.invoker.pool;

import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.pool.ContainerState.Busy;
import dev.hearth.invoker.pool.ContainerState.Idle;
import dev.hearth.invoker.pool.ContainerState.Removing;
import dev.hearth.invoker.pool.ContainerState.Starting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link PoolPolicy}'s decisions. Requests wait in a FIFO queue; whenever something
 * changes (a request arrives, a container is released, started, or removed) the queue is drained
 * from its head while the policy says anything but {@code Queue}. Each container serves one
 * activation at a time. Starting and destroying containers happens on virtual threads, outside the
 * pool's lock. An idle sweep removes containers idle longer than the idle timeout.
 *
 * <p>With a positive pause grace, a container still idle that long after its release is
 * {@linkplain Container#pause paused} (Docker's freezer: no CPU while it waits) and resumed before it is
 * lent again. A slot's pause lock orders the two: a lend that races a pause waits for it, then resumes.
 */
public final class ContainerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerPool.class);

    private final ContainerFactory factory;
    private final int userMemoryMb;
    private final Duration idleTimeout;
    private final Clock clock;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final ScheduledExecutorService sweeper;
    private final Duration pauseGrace;
    private boolean closed;

    /** A container's place in the pool; {@code container} is null while it starts. */
    private static final class Slot {
        final String id;
        final int memoryMb;
        ContainerState state;
        Container container;
        /** Lends so far (under the pool's lock): a pause is for the idle period it was scheduled in. */
        long lends;
        /** Held while pausing or resuming; {@code paused} is guarded by it. */
        final Object pauseLock = new Object();

        boolean paused;

        Slot(String id, int memoryMb, ContainerState state) {
            this.id = id;
            this.memoryMb = memoryMb;
            this.state = state;
        }
    }

    private record Waiter(PoolRequest request, String kind, String activationId, CompletableFuture<Lease> lease) {}

    public ContainerPool(
            ContainerFactory factory, int userMemoryMb, Duration idleTimeout, Clock clock, String idPrefix) {
        this(factory, userMemoryMb, idleTimeout, clock, idPrefix, Duration.ZERO);
    }

    /** @param pauseGrace pause containers idle this long; zero: never pause */
    public ContainerPool(
            ContainerFactory factory,
            int userMemoryMb,
            Duration idleTimeout,
            Clock clock,
            String idPrefix,
            Duration pauseGrace) {
        this.pauseGrace = pauseGrace;
        this.factory = factory;
        this.userMemoryMb = userMemoryMb;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.idPrefix = idPrefix;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("pool-idle-sweep").factory());
        long period = Math.clamp(idleTimeout.toMillis() / 4, 50, 30_000);
        sweeper.scheduleWithFixedDelay(this::removeIdleExpired, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks for a container for {@code request}; the future completes when one is lent (warm, or
     * started for this request), or fails with {@link ContainerException} when none can be had.
     */
    public CompletableFuture<Lease> acquire(PoolRequest request, String kind, String activationId) {
        CompletableFuture<Lease> lease = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                lease.completeExceptionally(new ContainerException("the invoker is shutting down"));
                return lease;
            }
            queue.add(new Waiter(request, kind, activationId, lease));
        }
        drain();
        return lease;
    }

    /** The pool now, for health pings and the containers listing. */
    public synchronized PoolSnapshot snapshot() {
        List<PoolEntry> entries = new ArrayList<>(slots.size());
        for (Slot s : slots.values()) {
            entries.add(new PoolEntry(s.id, s.memoryMb, s.state));
        }
        return new PoolSnapshot(userMemoryMb, entries);
    }

    /** Requests waiting for a container. */
    public synchronized int queued() {
        return queue.size();
    }

    private void drain() {
        List<Runnable> work = new ArrayList<>();
        synchronized (this) {
            while (!closed && !queue.isEmpty()) {
                Waiter w = queue.peek();
                PoolDecision decision = PoolPolicy.schedule(snapshot(), w.request());
                if (decision instanceof PoolDecision.Queue) {
                    break;
                }
                queue.poll();
                switch (decision) {
                    case PoolDecision.UseWarm warm -> {
                        Slot slot = slots.get(warm.containerId());
                        if (!slot.container.isAlive()) { // died while idle: drop it and decide again
                            queue.addFirst(w);
                            slot.state = new Removing(clock.instant());
                            work.add(() -> destroy(slot));
                            continue;
                        }
                        slot.state = new Busy(w.request().action(), clock.instant(), w.activationId());
                        slot.lends++;
                        work.add(() -> lendWarm(slot, w));
                    }
                    case PoolDecision.ColdStart cold -> work.add(start(w));
                    case PoolDecision.EvictThenColdStart evict -> {
                        for (String id : evict.containerIds()) {
                            Slot victim = slots.remove(id); // its memory goes to the new container
                            victim.state = new Removing(clock.instant());
                            log.debug(
                                    "evicting {} for {}",
                                    id,
                                    w.request().action().path());
                            work.add(() -> victim.container.destroy());
                        }
                        work.add(start(w));
                    }
                    case PoolDecision.Reject reject ->
                        work.add(() -> w.lease().completeExceptionally(new ContainerException(reject.reason())));
                    case PoolDecision.Queue q -> throw new IllegalStateException("handled above");
                }
            }
        }
        work.forEach(Thread.ofVirtual().name("pool-work")::start);
    }

    /** Reserves a starting slot (under the lock) and returns the work that starts it. */
    private Runnable start(Waiter w) {
        String id = idPrefix + "-" + ids.incrementAndGet();
        Slot slot =
                new Slot(id, w.request().memoryMb(), new Starting(w.request().action(), clock.instant()));
        slots.put(id, slot);
        return () -> {
            Container container;
            try {
                container = factory.create(id, w.request().memoryMb(), w.kind());
            } catch (ContainerException | RuntimeException e) {
                synchronized (this) {
                    slots.remove(id);
                }
                w.lease()
                        .completeExceptionally(
                                e instanceof ContainerException
                                        ? e
                                        : new ContainerException("cannot start a container: " + e, e));
                drain();
                return;
            }
            boolean lent;
            synchronized (this) {
                lent = !closed;
                slot.container = container;
                slot.state = lent
                        ? new Busy(w.request().action(), clock.instant(), w.activationId())
                        : new Removing(clock.instant());
            }
            if (lent) {
                w.lease().complete(new Lease(this, id, container, true));
            } else {
                destroy(slot);
                w.lease().completeExceptionally(new ContainerException("the invoker is shutting down"));
            }
        };
    }

    void release(String id, boolean healthy) {
        Slot broken = null;
        synchronized (this) {
            Slot slot = slots.get(id);
            if (slot == null) {
                return;
            }
            if (slot.state instanceof Busy busy && healthy && !closed) {
                slot.state = new Idle(busy.action(), clock.instant());
                if (pauseGrace.isPositive()) {
                    long lends = slot.lends;
                    sweeper.schedule(
                            () -> Thread.ofVirtual().name("pool-pause").start(() -> pauseIfIdle(slot, lends)),
                            pauseGrace.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
            } else if (!(slot.state instanceof Removing)) {
                slot.state = new Removing(clock.instant());
                broken = slot;
            }
        }
        if (broken != null) {
            Slot s = broken;
            Thread.ofVirtual().name("pool-work").start(() -> destroy(s));
        } else {
            drain();
        }
    }

    /** Lends a warm container, resuming it first if it was paused; a container that cannot resume goes. */
    private void lendWarm(Slot slot, Waiter w) {
        try {
            synchronized (slot.pauseLock) {
                if (slot.paused) {
                    slot.container.resume();
                    slot.paused = false;
                }
            }
        } catch (RuntimeException e) {
            log.warn("container {} did not resume ({}); removing it", slot.id, e.toString());
            boolean retry;
            synchronized (this) {
                slot.state = new Removing(clock.instant());
                retry = !closed;
                if (retry) {
                    queue.addFirst(w); // decided again once the slot is gone
                }
            }
            if (!retry) {
                w.lease().completeExceptionally(new ContainerException("the invoker is shutting down"));
            }
            destroy(slot);
            return;
        }
        w.lease().complete(new Lease(this, slot.id, slot.container, false));
    }

    /** Pauses a slot's container if it is still idle since the release that scheduled this. */
    private void pauseIfIdle(Slot slot, long lendsAtRelease) {
        synchronized (slot.pauseLock) {
            synchronized (this) {
                if (closed || slot.paused || slot.lends != lendsAtRelease || !(slot.state instanceof Idle)) {
                    return;
                }
            }
            try {
                slot.container.pause();
                slot.paused = true;
            } catch (RuntimeException e) {
                log.warn("pausing container {} failed: {}", slot.id, e.toString());
            }
        }
    }

    /** Destroys a slot's container, then frees its memory and drains the queue. */
    private void destroy(Slot slot) {
        try {
            if (slot.container != null) {
                slot.container.destroy();
            }
        } catch (RuntimeException e) {
            log.warn("destroying container {} failed: {}", slot.id, e.toString());
        }
        synchronized (this) {
            slots.remove(slot.id, slot);
        }
        drain();
    }

    /** One idle sweep: containers idle longer than the idle timeout go. */
    void removeIdleExpired() {
        List<Slot> expired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (String id : PoolPolicy.idleExpired(snapshot(), clock.instant(), idleTimeout)) {
                Slot slot = slots.get(id);
                slot.state = new Removing(clock.instant());
                expired.add(slot);
            }
        }
        for (Slot slot : expired) {
            log.debug("removing idle container {}", slot.id);
            Thread.ofVirtual().name("pool-work").start(() -> destroy(slot));
        }
    }

    /** Fails waiting requests and destroys every container (in parallel), then the factory's leftovers. */
    @Override
    public void close() {
        List<Waiter> waiting;
        List<Container> containers = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            waiting = List.copyOf(queue);
            queue.clear();
            for (Slot s : slots.values()) {
                if (s.container != null) {
                    containers.add(s.container);
                }
                s.state = new Removing(clock.instant());
            }
        }
        sweeper.shutdownNow();
        waiting.forEach(w -> w.lease().completeExceptionally(new ContainerException("the invoker is shutting down")));
        List<Thread> threads = containers.stream()
                .map(c -> Thread.ofVirtual().start(c::destroy))
                .toList();
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            slots.clear();
        }
        factory.close();
    }
}
