package dev.hearth.invoker.pool;

import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.pool.ContainerState.Busy;
import dev.hearth.invoker.pool.ContainerState.Idle;
import dev.hearth.invoker.pool.ContainerState.Prewarmed;
import dev.hearth.invoker.pool.ContainerState.Prewarming;
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
 * <p>With a {@link TensorAccount} (sharing on) the snapshot charges each container its memory less the
 * weights it maps from the tensor store, and the store once; a container's references start when it is
 * reserved (the stored tensors of its bundle), are replaced by what its proxy reports after
 * {@code /init} ({@link Lease#attachTensors}), and end when it is destroyed for any reason. Reclaiming
 * unreferenced tensors for a cold start happens under the pool's lock, before the next decision.
 *
 * <p>With a positive pause grace, a container still idle that long after its release is
 * {@linkplain Container#pause paused} (Docker's freezer: no CPU while it waits) and resumed before it is
 * lent again. A slot's pause lock orders the two: a lend that races a pause waits for it, then resumes.
 *
 * <p>CPU: work ahead of demand (stem cells, containers {@linkplain #startAhead started ahead}) runs at the
 * {@code ahead} priority until its first real activation moves it to {@link CpuPriority#NORMAL}; a
 * container lent to an activation first gets its action's share (the scheduler's times the
 * {@linkplain #setCpuWeight weight}, e.g. {@link RareFirst}) where it differs from what it has; one whose
 * {@code /init} still loads code or a model (cold, pre-warmed) gets the weight only when it is about to
 * run ({@link Lease#running}), so that a weighted load does not starve the rest of the machine.
 */
public final class ContainerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ContainerPool.class);

    private final ContainerFactory factory;
    private final TensorAccount tensors;
    private volatile List<PrewarmTarget> prewarm;
    private final int userMemoryMb;
    private final Duration idleTimeout;
    private final Clock clock;
    private final String idPrefix;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private final ScheduledExecutorService sweeper;
    private final Duration pauseGrace;
    private final CpuPriority ahead;
    private boolean closed;
    private java.time.Instant prewarmBackoffUntil = java.time.Instant.MIN;
    /** When stem cells were found missing and left to wait ({@link PoolPolicy#stemCellsWait}); null: none wait. */
    private java.time.Instant stemCellsMissingSince;

    /** A container's place in the pool; {@code container} is null while it starts. */
    private static final class Slot {
        final String id;
        final int memoryMb;
        ContainerState state;
        Container container;
        /** A stem cell's pre-loads: bundle digest → the store files it maps. */
        final Map<String, List<String>> preloads = new LinkedHashMap<>();

        java.util.Set<String> preloadTensors() {
            java.util.Set<String> all = new java.util.HashSet<>();
            preloads.values().forEach(all::addAll);
            return all;
        }
        /** The CPU share its container must have (under the pool's lock; 1.0: the factory's default). */
        double cpuShare = 1.0;
        /** The share last given to the container; guarded by {@link #shareLock}. */
        double appliedShare = 1.0;
        /** Held while giving the container its share (never while holding the pool's lock). */
        final Object shareLock = new Object();
        /**
         * Lent to an activation whose {@code /init} loads its code or model: it has the scheduler's share
         * without the {@linkplain #setCpuWeight weight} until {@link Lease#running}.
         */
        boolean weightDeferred;
        /** Started in the background (ahead of demand) and not yet moved back for an activation. */
        boolean background;
        /** Holds code its action no longer has ({@link #retire}): removed when released, never kept warm. */
        boolean retired;

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
        this(
                factory,
                TensorAccount.NONE,
                List.of(),
                userMemoryMb,
                idleTimeout,
                clock,
                idPrefix,
                Duration.ZERO,
                CpuPriority.NORMAL);
    }

    /**
     * @param prewarm    stem cells to keep ready
     * @param pauseGrace pause containers idle this long; zero: never pause
     * @param ahead      the CPU priority of work ahead of demand: stem cells (their start, engine warm-up and
     *                   pre-loads) and containers {@linkplain #startAhead started ahead}, until their first
     *                   activation moves them to {@link CpuPriority#NORMAL}
     */
    public ContainerPool(
            ContainerFactory factory,
            TensorAccount tensors,
            List<PrewarmTarget> prewarm,
            int userMemoryMb,
            Duration idleTimeout,
            Clock clock,
            String idPrefix,
            Duration pauseGrace,
            CpuPriority ahead) {
        this.pauseGrace = pauseGrace;
        this.ahead = ahead;
        this.factory = factory;
        this.tensors = tensors;
        this.prewarm = List.copyOf(prewarm);
        this.userMemoryMb = userMemoryMb;
        this.idleTimeout = idleTimeout;
        this.clock = clock;
        this.idPrefix = idPrefix;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("pool-idle-sweep").factory());
        // at most a second: the scheduler's keep-alive per action may be far shorter than the idle timeout
        long period = Math.clamp(idleTimeout.toMillis() / 4, 50, 1_000);
        sweeper.scheduleWithFixedDelay(this::removeIdleExpired, period, period, TimeUnit.MILLISECONDS);
        sweeper.scheduleWithFixedDelay(this::removeDeadIdle, 1, 1, TimeUnit.SECONDS);
        sweeper.scheduleWithFixedDelay(this::startWaitingStemCells, 250, 250, TimeUnit.MILLISECONDS);
        if (!prewarm.isEmpty()) {
            sweeper.execute(this::drain); // the first stem cells
        }
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

    /**
     * Starts a container for {@code request} ahead of demand, if {@link PoolPolicy#scheduleAhead} allows it
     * now: the lease (a bound stem cell, or a container being started) for the caller to initialise and
     * release; empty when not now. It never waits in the queue and never goes before a waiting request.
     */
    public java.util.Optional<CompletableFuture<Lease>> startAhead(PoolRequest request, String kind) {
        Runnable work;
        CompletableFuture<Lease> lease = new CompletableFuture<>();
        synchronized (this) {
            if (closed || !queue.isEmpty()) {
                return java.util.Optional.empty();
            }
            Waiter w = new Waiter(request, kind, AHEAD, lease);
            switch (PoolPolicy.scheduleAhead(snapshot(), withStoredWeights(request))) {
                case PoolDecision.UsePrewarmed stem -> {
                    Slot slot = slots.get(stem.containerId());
                    if (!slot.container.isAlive()) {
                        return java.util.Optional.empty(); // the dead-idle sweep removes it
                    }
                    slot.state = new Busy(request.action(), clock.instant(), AHEAD);
                    slot.preloads.clear();
                    tensors.starting(slot.id, request.action().digest());
                    StartKind start = stem.preloaded() ? StartKind.PRELOADED : StartKind.PREWARMED;
                    work = () -> lease.complete(new Lease(this, slot.id, slot.container, start));
                }
                case PoolDecision.ColdStart cold -> work = start(w);
                default -> {
                    return java.util.Optional.empty();
                }
            }
        }
        startedAhead.incrementAndGet();
        Thread.ofVirtual().name("pool-work").start(work);
        return java.util.Optional.of(lease);
    }

    private final AtomicLong startedAhead = new AtomicLong();

    /** Containers lent by {@link #startAhead} so far. */
    public long startedAhead() {
        return startedAhead.get();
    }

    /** The activation id of a container's lease when it is started ahead of demand. */
    public static final String AHEAD = "ahead-of-demand";

    /** The pool now, for health pings and the containers listing. */
    public synchronized PoolSnapshot snapshot() {
        List<PoolEntry> entries = new ArrayList<>(slots.size());
        for (Slot s : slots.values()) {
            TensorAccount.Share share = tensors.container(s.id);
            int sharedMb = Math.min(share.sharedMb(), s.memoryMb);
            entries.add(new PoolEntry(s.id, s.memoryMb, sharedMb, Math.min(share.exclusiveMb(), sharedMb), s.state));
        }
        TensorAccount.Store store = tensors.store();
        return new PoolSnapshot(userMemoryMb, entries, store.storedMb(), store.reclaimableMb());
    }

    /** The request with what the tensor store already holds of its bundle. */
    private PoolRequest withStoredWeights(PoolRequest request) {
        TensorAccount.Stored stored = tensors.bundle(request.action().digest());
        int storedMb = Math.min(stored.storedMb(), request.memoryMb());
        return request.withStored(storedMb, Math.min(stored.unreferencedMb(), storedMb));
    }

    /** Records the store files a container's proxy reported mapping (see {@link TensorAccount#attach}). */
    void attachTensors(String id, java.util.Collection<String> digests) {
        synchronized (this) {
            if (!slots.containsKey(id)) {
                return; // already gone: nothing to reference
            }
            tensors.attach(id, digests);
        }
        drain();
    }

    /** The host process id of a container's runtime, when it is started and its factory knows it. */
    public java.util.Optional<Long> pid(String id) {
        Container c;
        synchronized (this) {
            Slot slot = slots.get(id);
            c = slot == null ? null : slot.container;
        }
        if (c == null || c.pid().isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(c.pid().getAsLong());
    }

    /**
     * How many MB the request at the head of the queue lacks beyond what is available (free memory plus
     * reclaimable tensors); 0 when nothing waits.
     */
    public synchronized int pressureMb() {
        Waiter head = queue.peek();
        if (head == null) {
            return 0;
        }
        return Math.max(
                0, withStoredWeights(head.request()).neededMb() - snapshot().availableMemoryMb());
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
                PoolDecision decision = PoolPolicy.schedule(snapshot(), withStoredWeights(w.request()));
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
                        boolean raise = raiseFor(slot, w);
                        double share = shareFor(slot, w, StartKind.WARM);
                        work.add(() -> lendWarm(slot, w, raise, share));
                    }
                    case PoolDecision.UsePrewarmed stem -> {
                        Slot slot = slots.get(stem.containerId());
                        if (!slot.container.isAlive()) {
                            queue.addFirst(w);
                            slot.state = new Removing(clock.instant());
                            work.add(() -> destroy(slot));
                            continue;
                        }
                        slot.state = new Busy(w.request().action(), clock.instant(), w.activationId());
                        slot.preloads.clear(); // /init drops every other pre-load
                        tensors.starting(slot.id, w.request().action().digest());
                        StartKind kind = stem.preloaded() ? StartKind.PRELOADED : StartKind.PREWARMED;
                        boolean raise = raiseFor(slot, w);
                        double share = shareFor(slot, w, kind);
                        work.add(() -> lend(slot, w, kind, raise, share));
                    }
                    case PoolDecision.ColdStart cold -> {
                        reclaim(cold.reclaimMb(), w);
                        work.add(start(w));
                    }
                    case PoolDecision.EvictThenColdStart evict -> {
                        for (String id : evict.containerIds()) {
                            Slot victim = slots.remove(id); // its memory goes to the new container
                            tensors.detach(id);
                            victim.state = new Removing(clock.instant());
                            log.debug(
                                    "evicting {} for {}",
                                    id,
                                    w.request().action().path());
                            work.add(() -> victim.container.destroy());
                        }
                        reclaim(evict.reclaimMb(), w);
                        work.add(start(w));
                    }
                    case PoolDecision.Reject reject ->
                        work.add(() -> w.lease().completeExceptionally(new ContainerException(reject.reason())));
                    case PoolDecision.Queue q -> throw new IllegalStateException("handled above");
                }
            }
            if (!closed && queue.isEmpty() && clock.instant().isAfter(prewarmBackoffUntil)) {
                List<PrewarmTarget> starts = PoolPolicy.prewarmStarts(snapshot(), prewarm);
                java.time.Instant now = clock.instant();
                if (starts.isEmpty()) {
                    stemCellsMissingSince = null;
                } else {
                    if (stemCellsMissingSince == null) {
                        stemCellsMissingSince = now;
                    }
                    // a stem cell started in the background does not compete with activations: no wait
                    Duration patience = ahead == CpuPriority.BACKGROUND ? Duration.ZERO : PoolPolicy.STEM_CELL_PATIENCE;
                    if (!PoolPolicy.stemCellsWait(snapshot(), stemCellsMissingSince, now, patience)) {
                        stemCellsMissingSince = null;
                        for (PrewarmTarget t : starts) {
                            work.add(startStemCell(t));
                        }
                    }
                }
            }
        }
        work.forEach(Thread.ofVirtual().name("pool-work")::start);
    }

    /** Missing stem cells waiting for a quiet moment start at the end of their patience, busy or not. */
    private void startWaitingStemCells() {
        boolean waiting;
        synchronized (this) {
            waiting = stemCellsMissingSince != null;
        }
        if (waiting) {
            drain();
        }
    }

    /** Reserves a stem cell's slot (under the lock) and returns the work that starts and readies it. */
    private Runnable startStemCell(PrewarmTarget target) {
        String id = idPrefix + "-" + ids.incrementAndGet();
        Slot slot = new Slot(id, target.memoryMb(), new Prewarming(target.kind(), clock.instant()));
        slot.background = ahead == CpuPriority.BACKGROUND;
        slots.put(id, slot);
        return () -> {
            Container container = null;
            try {
                container = factory.create(id, target.memoryMb(), target.kind(), ahead);
                container.prewarm(target.kind());
            } catch (ContainerException | RuntimeException e) {
                log.warn("cannot start a {} MB {} stem cell: {}", target.memoryMb(), target.kind(), e.getMessage());
                if (container != null) {
                    container.destroy();
                }
                synchronized (this) {
                    slots.remove(id);
                    prewarmBackoffUntil = clock.instant().plusSeconds(10);
                }
                return;
            }
            boolean keep;
            synchronized (this) {
                keep = !closed;
                slot.container = container;
                slot.state = keep
                        ? new Prewarmed(target.kind(), clock.instant(), java.util.Set.of())
                        : new Removing(clock.instant());
            }
            if (keep) {
                drain();
            } else {
                destroy(slot);
            }
        };
    }

    /**
     * Replaces the stem-cell targets (the scheduler's decision, or the configured ones). Missing stem
     * cells are started at once as memory allows; surplus ones are removed, pre-loads and all.
     */
    public void setPrewarmTargets(List<PrewarmTarget> targets) {
        List<Slot> surplus = new ArrayList<>();
        synchronized (this) {
            prewarm = List.copyOf(targets);
            Map<String, Integer> wanted = new java.util.HashMap<>();
            for (PrewarmTarget t : prewarm) {
                wanted.merge(t.kind() + "/" + t.memoryMb(), t.count(), Integer::sum);
            }
            for (Slot s : slots.values()) {
                if (s.state instanceof Prewarmed p) {
                    String key = p.kind() + "/" + s.memoryMb;
                    int left = wanted.getOrDefault(key, 0);
                    if (left > 0) {
                        wanted.put(key, left - 1);
                    } else {
                        s.state = new Removing(clock.instant());
                        surplus.add(s);
                    }
                }
            }
        }
        for (Slot s : surplus) {
            Thread.ofVirtual().name("pool-work").start(() -> destroy(s));
        }
        drain();
    }

    /** A stem cell as the pre-loader sees it. */
    public record StemCell(
            String id, String kind, int memoryMb, java.util.Set<String> preloaded, Container container) {}

    /** The stem cells ready now. */
    public synchronized List<StemCell> stemCells() {
        List<StemCell> out = new ArrayList<>();
        for (Slot s : slots.values()) {
            if (s.state instanceof Prewarmed p) {
                out.add(new StemCell(s.id, p.kind(), s.memoryMb, p.preloaded(), s.container));
            }
        }
        return out;
    }

    /**
     * Records that {@code digest} was pre-loaded into stem cell {@code id}, mapping {@code storeDigests};
     * false (nothing recorded) when the cell has been taken or removed meanwhile.
     */
    public boolean preloaded(String id, String digest, List<String> storeDigests) {
        synchronized (this) {
            Slot slot = slots.get(id);
            if (slot == null || !(slot.state instanceof Prewarmed p)) {
                return false;
            }
            java.util.Set<String> set = new java.util.HashSet<>(p.preloaded());
            set.add(digest);
            slot.state = new Prewarmed(p.kind(), p.since(), set);
            slot.preloads.put(digest, List.copyOf(storeDigests));
            tensors.attach(id, slot.preloadTensors());
        }
        drain(); // a waiting request may now prefer it
        return true;
    }

    /** Records that {@code digest} was off-loaded from stem cell {@code id}. */
    public synchronized void offloaded(String id, String digest) {
        Slot slot = slots.get(id);
        if (slot == null || !(slot.state instanceof Prewarmed p)) {
            return;
        }
        java.util.Set<String> set = new java.util.HashSet<>(p.preloaded());
        set.remove(digest);
        slot.state = new Prewarmed(p.kind(), p.since(), set);
        slot.preloads.remove(digest);
        tensors.attach(id, slot.preloadTensors());
    }

    /** Removes unreferenced tensors (under the lock) so that the decision's shortfall is covered. */
    private void reclaim(int mb, Waiter w) {
        if (mb > 0) {
            log.debug(
                    "reclaiming {} MB of unreferenced tensors for {}",
                    mb,
                    w.request().action().path());
            tensors.reclaim(mb, w.request().action().digest());
        }
    }

    /** Reserves a starting slot (under the lock) and returns the work that starts it. */
    private Runnable start(Waiter w) {
        String id = idPrefix + "-" + ids.incrementAndGet();
        Slot slot =
                new Slot(id, w.request().memoryMb(), new Starting(w.request().action(), clock.instant()));
        CpuPriority priority = AHEAD.equals(w.activationId()) ? ahead : CpuPriority.NORMAL;
        slot.background = priority == CpuPriority.BACKGROUND;
        slots.put(id, slot);
        tensors.starting(id, w.request().action().digest());
        return () -> {
            Container container;
            try {
                container = factory.create(id, w.request().memoryMb(), w.kind(), priority);
            } catch (ContainerException | RuntimeException e) {
                synchronized (this) {
                    slots.remove(id);
                    tensors.detach(id);
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
            double share;
            synchronized (this) {
                lent = !closed;
                slot.container = container;
                slot.state = lent
                        ? new Busy(w.request().action(), clock.instant(), w.activationId())
                        : new Removing(clock.instant());
                share = lent ? shareFor(slot, w, StartKind.COLD) : Double.NaN;
            }
            if (lent) {
                giveShare(slot, share);
                w.lease().complete(new Lease(this, id, container, StartKind.COLD));
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
            if (slot.state instanceof Busy busy && healthy && !closed && !slot.retired) {
                slot.state = new Idle(busy.action(), clock.instant());
                slot.weightDeferred = false;
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

    /**
     * Whether lending {@code slot} to {@code w} must first move it out of the background (under the lock):
     * a container started ahead of demand serves a real activation. The slot is marked as moved.
     */
    private boolean raiseFor(Slot slot, Waiter w) {
        if (!slot.background || AHEAD.equals(w.activationId())) {
            return false;
        }
        slot.background = false;
        return true;
    }

    /**
     * The CPU share {@code slot}'s container must have for {@code w}, started as {@code kind} (under the
     * lock), recorded as its share; NaN when it has it already or {@code w} is not a real activation. A
     * start whose {@code /init} loads code or a model ({@link StartKind#loadsAtInit}) gets the scheduler's
     * share only: the weight waits for {@link Lease#running}.
     */
    private double shareFor(Slot slot, Waiter w, StartKind kind) {
        if (AHEAD.equals(w.activationId())) {
            return Double.NaN;
        }
        slot.weightDeferred = kind.loadsAtInit();
        return reshare(slot, w.request().action().path());
    }

    /** {@link #shareOf} for {@code slot} (under the lock), recorded; NaN when it has it already. */
    private double reshare(Slot slot, String path) {
        double want = slot.weightDeferred ? schedulerShares.getOrDefault(path, 1.0) : shareOf(path);
        if (want == slot.cpuShare) {
            return Double.NaN;
        }
        slot.cpuShare = want;
        return want;
    }

    /**
     * The activation lent {@code id} is about to run: a container whose weight was deferred while its
     * {@code /init} loaded takes it now, where it changes (see {@link Lease#running}).
     */
    void running(String id) {
        Slot slot;
        double share;
        synchronized (this) {
            slot = slots.get(id);
            if (slot == null || !slot.weightDeferred || !(slot.state instanceof Busy busy)) {
                return;
            }
            slot.weightDeferred = false;
            share = reshare(slot, busy.action().path());
        }
        giveShare(slot, share);
    }

    /** The CPU share a call of {@code path} runs with: the scheduler's share times its {@linkplain #setCpuWeight weight}. */
    public double cpuShare(String path) {
        return shareOf(path);
    }

    /** The scheduler's share of {@code path} times its {@linkplain #setCpuWeight weight}. */
    private double shareOf(String path) {
        return schedulerShares.getOrDefault(path, 1.0) * cpuWeight.applyAsDouble(path);
    }

    /**
     * Gives {@code slot}'s container the share recorded for it now, unless {@code share} is NaN (nothing
     * changed) or the container has it already. Whoever gives a share gives the latest one, one at a time per
     * container: a share decided earlier (the scheduler's, applied on a thread of its own) can never land
     * after a later one (a lease's). One that cannot take it serves at the weight it has.
     */
    private void giveShare(Slot slot, double share) {
        if (slot == null || Double.isNaN(share)) {
            return;
        }
        synchronized (slot.shareLock) {
            double latest;
            Container container;
            synchronized (this) {
                latest = slot.cpuShare;
                container = slot.container;
            }
            if (container == null || latest == slot.appliedShare) {
                return;
            }
            try {
                container.cpuShare(latest);
                slot.appliedShare = latest;
            } catch (RuntimeException e) {
                log.warn("cannot give container {} the CPU share {}: {}", container.id(), latest, e.toString());
            }
        }
    }

    /** Lends a stem cell, with its share and moved out of the background first when {@code raise}. */
    private void lend(Slot slot, Waiter w, StartKind kind, boolean raise, double share) {
        giveShare(slot, share); // a background container only records it until it moves
        if (raise) {
            try {
                slot.container.cpuPriority(CpuPriority.NORMAL);
            } catch (ContainerException | RuntimeException e) {
                giveUp(slot, w, "did not leave the background", e);
                return;
            }
        }
        w.lease().complete(new Lease(this, slot.id, slot.container, kind));
    }

    /**
     * Lends a warm container, resuming it first if it was paused and moving it out of the background when
     * {@code raise}; a container that cannot do either goes.
     */
    private void lendWarm(Slot slot, Waiter w, boolean raise, double share) {
        try {
            synchronized (slot.pauseLock) {
                if (slot.paused) {
                    slot.container.resume();
                    slot.paused = false;
                }
            }
            giveShare(slot, share);
            if (raise) {
                slot.container.cpuPriority(CpuPriority.NORMAL);
            }
        } catch (ContainerException | RuntimeException e) {
            giveUp(slot, w, "did not resume or leave the background", e);
            return;
        }
        w.lease().complete(new Lease(this, slot.id, slot.container, StartKind.WARM));
    }

    /** Removes a container that failed to get ready for {@code w}, which is decided again. */
    private void giveUp(Slot slot, Waiter w, String what, Exception e) {
        log.warn("container {} {} ({}); removing it", slot.id, what, e.toString());
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
            tensors.detach(slot.id);
        }
        drain();
    }

    private volatile java.util.Map<String, Integer> warmProtect = java.util.Map.of();

    private volatile java.util.Map<String, Double> schedulerShares = java.util.Map.of();
    private volatile java.util.function.ToDoubleFunction<String> cpuWeight = path -> 1.0;

    /**
     * A weight per action path that multiplies the scheduler's share (e.g. {@link RareFirst}), read each
     * time a container is lent to a real activation; the default weighs every action 1.0.
     */
    public void setCpuWeight(java.util.function.ToDoubleFunction<String> weight) {
        cpuWeight = weight;
    }

    /**
     * The scheduler's CPU shares (action path → share of the factory's default weight): every container
     * holding an action's code gets its share times its {@linkplain #setCpuWeight weight} (1.0 for
     * actions without a share), where it differs from what the container has. Called every second by the
     * scheduling listener, so new containers follow; a container lent to an activation gets its share
     * before the lease completes.
     */
    public void setCpuShares(java.util.Map<String, Double> shares) {
        schedulerShares = java.util.Map.copyOf(shares);
        List<Runnable> work = new ArrayList<>();
        synchronized (this) {
            for (Slot s : slots.values()) {
                ActionKey action = switch (s.state) {
                    case Busy b -> b.action();
                    case Idle i -> i.action();
                    default -> null;
                };
                if (action == null || s.container == null) {
                    continue;
                }
                double want = reshare(s, action.path());
                if (!Double.isNaN(want)) {
                    work.add(() -> giveShare(s, want));
                }
            }
        }
        work.forEach(Thread.ofVirtual().name("pool-cpu")::start);
    }

    /**
     * The scheduler's warm targets (action path → count, see {@code WarmTargets}): the idle sweep keeps
     * that many initialised containers of each; replaced whole, empty for none.
     */
    public void setWarmProtect(java.util.Map<String, Integer> protect) {
        warmProtect = java.util.Map.copyOf(protect);
    }

    private volatile java.util.Map<String, Duration> keepAlive = java.util.Map.of();

    /**
     * The scheduler's keep-alive per action (path → how long an idle container above the warm target
     * stays); actions not listed keep the pool's idle timeout. Replaced whole.
     */
    public void setKeepAlive(java.util.Map<String, Duration> byAction) {
        keepAlive = java.util.Map.copyOf(byAction);
    }

    /**
     * The action at {@code path} was updated or deleted: its containers that hold another version than
     * {@code keepVersion} (every one when it is null: deleted) are of no use any more. Idle ones, paused or
     * not, go now; busy and starting ones (calls made before the change, or a start ahead of demand) go when
     * released instead of staying warm. Stem cells are left alone: what they pre-load is a bundle, not an
     * action, and the pre-loader off-loads a bundle no known action needs at its next step. Returns the idle
     * containers removed.
     */
    public int retire(String path, String keepVersion) {
        List<Slot> gone = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return 0;
            }
            for (Slot slot : slots.values()) {
                ActionKey key = switch (slot.state) {
                    case Idle i -> i.action();
                    case Busy b -> b.action();
                    case Starting st -> st.action();
                    default -> null;
                };
                if (key == null || !key.path().equals(path) || java.util.Objects.equals(key.version(), keepVersion)) {
                    continue;
                }
                if (slot.state instanceof Idle) {
                    slot.state = new Removing(clock.instant());
                    gone.add(slot);
                } else {
                    slot.retired = true;
                }
            }
        }
        for (Slot slot : gone) {
            log.info("removing idle container {}: its action {} changed", slot.id, path);
            Thread.ofVirtual().name("pool-work").start(() -> destroy(slot));
        }
        return gone.size();
    }

    /** The container lent as {@code id} is removed when released ({@link Lease#retire}). */
    synchronized void retireWhenReleased(String id) {
        Slot slot = slots.get(id);
        if (slot != null) {
            slot.retired = true;
        }
    }

    /** One idle sweep: containers idle longer than their keep-alive go, sparing warm targets. */
    void removeIdleExpired() {
        List<Slot> expired = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (String id : PoolPolicy.idleExpired(snapshot(), clock.instant(), idleTimeout, warmProtect, keepAlive)) {
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

    /**
     * Idle containers whose process died (crashed, killed, out of memory) go now rather than at the idle
     * timeout: their memory and tensor references are released.
     */
    void removeDeadIdle() {
        List<Slot> dead = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            for (Slot slot : slots.values()) {
                boolean waiting = slot.state instanceof Idle || slot.state instanceof Prewarmed;
                if (waiting && slot.container != null && !slot.container.isAlive()) {
                    slot.state = new Removing(clock.instant());
                    dead.add(slot);
                }
            }
        }
        for (Slot slot : dead) {
            log.info("idle container {} died; removing it", slot.id);
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
            slots.keySet().forEach(tensors::detach);
            slots.clear();
        }
        factory.close();
    }
}
