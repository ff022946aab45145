package dev.hearth.invoker.preload;

import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.artifact.ArtifactException;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.PreloadResult;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.ContainerPool.StemCell;
import dev.hearth.invoker.pool.ContainerState;
import dev.hearth.invoker.pool.PoolEntry;
import dev.hearth.invoker.preload.PreloadPolicy.Candidate;
import dev.hearth.invoker.preload.PreloadPolicy.Cell;
import dev.hearth.invoker.preload.PreloadPolicy.Decision;
import dev.hearth.model.tensors.TensorStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the {@link PreloadPolicy} every interval: builds its snapshot from the {@link Arrivals},
 * the pool's stem cells and warm containers, and the tensor store's indexes (what a pre-load would add
 * to memory), then calls {@code /offload} and {@code /preload} on the stem cells and tells the pool.
 * One step at a time on one thread, so pre-loads are not run in parallel. Stem cells run in the
 * background ({@code preload.background}, the default): a pre-load takes only the CPU activations leave,
 * so it may start while activations run. With that off, a pre-load competes with them, and none starts
 * while an activation runs (the policy's {@code busy}). A stem cell taken by an activation while a
 * pre-load is in flight is fine: the pool moves it out of the background, the runtime proxy serialises
 * the calls, and {@code /init} binds or drops what was pre-loaded. One taken (or removed) before its
 * {@code /preload} arrives makes that call fail; the bundle is not backed off for it (see {@code backOff}).
 */
public final class Preloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Preloader.class);

    /** A pre-load must be expected to save at least this much model-load time within the horizon. */
    static final double MIN_VALUE_MS = 20;
    /** What a model adds to a container beyond its weights (block objects, buffers). */
    static final int MODEL_OVERHEAD_MB = 8;

    static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

    private final ContainerPool pool;
    private final Arrivals arrivals;
    private final ArtifactStore artifacts;
    private final MissingWeights missingWeights; // null: sharing off, weights are private
    private final InvokerProperties.Preload settings;
    private final java.time.Clock clock;
    private final ScheduledExecutorService timer;
    private volatile Set<String> requested = Set.of();
    /**
     * Bundles whose last pre-load failed, and until when they are not tried again ({@link #BACK_OFF}). A
     * missing or broken artifact, and a refusal by a container that is still a stem cell, are the bundle's
     * or the container's failures: backed off. A refusal by a cell that is no stem cell any more (an
     * activation took it between the snapshot and {@code /preload}, or the pool removed it) says nothing
     * about the bundle: the digest stays eligible for the next step's cells. Caveat: a container that dies
     * of the pre-load and is swept by the pool before the check counts as lost, so it escapes the back-off
     * once (the pool's dead-container sweep runs every second, the check right after the failure).
     */
    private final Map<String, java.time.Instant> backOff = new java.util.concurrent.ConcurrentHashMap<>();

    static final Duration BACK_OFF = Duration.ofSeconds(30);

    public Preloader(
            ContainerPool pool,
            Arrivals arrivals,
            ArtifactStore artifacts,
            TensorStore store,
            InvokerProperties.Preload settings,
            java.time.Clock clock) {
        this.pool = pool;
        this.clock = clock;
        this.arrivals = arrivals;
        this.artifacts = artifacts;
        this.missingWeights = store == null ? null : new MissingWeights(store, clock);
        this.settings = settings;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("preloader").factory());
        long period = settings.interval().toMillis();
        timer.scheduleWithFixedDelay(this::stepSafely, period, period, TimeUnit.MILLISECONDS);
    }

    private void stepSafely() {
        try {
            step();
        } catch (RuntimeException e) {
            log.warn("pre-loader step failed: {}", e.toString());
        }
    }

    /**
     * The actions the scheduler asks to keep pre-loaded: they are treated as certain to be called within
     * the horizon (while the pre-loader still needs to have seen them, to know their model).
     */
    public void request(Set<String> actions) {
        requested = Set.copyOf(actions);
    }

    /** One decision and its execution. */
    public void step() {
        List<StemCell> cells = pool.stemCells();
        if (cells.isEmpty()) {
            return;
        }
        Map<String, Integer> containers = new HashMap<>();
        int busy = 0;
        for (PoolEntry e : pool.snapshot().entries()) {
            switch (e.state()) {
                case ContainerState.Idle i -> containers.merge(i.action().path(), 1, Integer::sum);
                case ContainerState.Busy b -> {
                    containers.merge(b.action().path(), 1, Integer::sum);
                    busy++;
                }
                case ContainerState.Starting st -> {
                    containers.merge(st.action().path(), 1, Integer::sum);
                    busy++;
                }
                default -> {}
            }
        }
        List<Candidate> candidates = new ArrayList<>();
        Map<String, String> kinds = new HashMap<>();
        java.time.Instant now = clock.instant();
        backOff.values().removeIf(until -> until.isBefore(now));
        for (Arrivals.Function f : arrivals.functions(now)) {
            if (f.digest() == null || f.kind() == null || backOff.containsKey(f.digest())) {
                continue;
            }
            kinds.put(f.digest(), f.kind());
            boolean asked = requested.contains(f.path());
            candidates.add(new Candidate(
                    f.path(),
                    f.digest(),
                    f.kind(),
                    f.memoryMb(),
                    asked ? Math.max(f.ratePerSecond(), 1.0) : f.ratePerSecond(),
                    asked ? Math.max(f.modelLoadMs(), (long) (2 * MIN_VALUE_MS)) : f.modelLoadMs(),
                    cost(f.digest(), f.memoryMb()),
                    containers.getOrDefault(f.path(), 0),
                    f.peakConcurrency()));
        }
        List<Cell> snapshotCells = new ArrayList<>();
        Map<String, StemCell> byId = new HashMap<>();
        for (StemCell c : cells) {
            Map<String, Integer> preloaded = new HashMap<>();
            for (String d : c.preloaded()) {
                preloaded.put(d, cost(d, c.memoryMb()));
            }
            snapshotCells.add(new Cell(c.id(), c.kind(), c.memoryMb(), preloaded, c.memoryMb() / 2));
            byId.put(c.id(), c);
        }
        Decision decision = PreloadPolicy.decide(new PreloadPolicy.Snapshot(
                candidates,
                snapshotCells,
                settings.horizon(),
                MIN_VALUE_MS,
                pool.pressureMb(),
                settings.background() ? 0 : busy));
        for (PreloadPolicy.Offload o : decision.offload()) {
            StemCell cell = byId.get(o.cellId());
            try {
                cell.container().offload(o.digest(), CALL_TIMEOUT);
            } catch (ContainerException e) {
                log.warn("cannot off-load {} from {}: {}", o.digest(), o.cellId(), e.getMessage());
            }
            pool.offloaded(o.cellId(), o.digest());
            log.info("off-loaded {} from {}", o.digest(), o.cellId());
        }
        for (PreloadPolicy.Preload p : decision.preload()) {
            StemCell cell = byId.get(p.cellId());
            String kind = kinds.get(p.digest());
            try {
                Path code = artifacts.code(p.digest(), kind);
                PreloadResult r = cell.container().preload(code, kind, p.digest(), CALL_TIMEOUT);
                if (pool.preloaded(p.cellId(), p.digest(), r.storeDigests())) {
                    log.info("pre-loaded {} into {} in {} ms", p.digest(), p.cellId(), r.modelLoadMs());
                }
            } catch (ArtifactException e) {
                backOff(p, e);
            } catch (ContainerException e) {
                if (isStemCell(p.cellId())) {
                    backOff(p, e);
                } else {
                    log.info(
                            "{} was taken or removed meanwhile, {} not pre-loaded into it ({}); the bundle stays"
                                    + " eligible",
                            p.cellId(),
                            p.digest(),
                            e.getMessage());
                }
            }
        }
    }

    /** Whether {@code id} is still a stem cell of the pool (not taken by an activation, not removed). */
    private boolean isStemCell(String id) {
        return pool.stemCells().stream().anyMatch(c -> c.id().equals(id));
    }

    private void backOff(PreloadPolicy.Preload p, Exception e) {
        log.warn(
                "cannot pre-load {} into {} (not tried again for {}): {}",
                p.digest(),
                p.cellId(),
                BACK_OFF,
                e.getMessage());
        backOff.put(p.digest(), clock.instant().plus(BACK_OFF));
    }

    /**
     * What pre-loading {@code digest} adds to a container (MB): with sharing, the bytes of its tensors the
     * store does not hold yet ({@link MissingWeights}, counted at most every 10 s) plus a fixed overhead; without, all its weights. Without an index (the model
     * was never loaded here) a quarter of the function's memory is assumed.
     */
    private int cost(String digest, int memoryMb) {
        OptionalLong missing = missingWeights == null ? OptionalLong.empty() : missingWeights.bytes(digest);
        if (missing.isEmpty()) {
            return Math.max(MODEL_OVERHEAD_MB, memoryMb / 4);
        }
        return MODEL_OVERHEAD_MB + (int) (missing.getAsLong() >> 20);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
