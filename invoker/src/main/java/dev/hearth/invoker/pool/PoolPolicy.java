package dev.hearth.invoker.pool;

import dev.hearth.invoker.pool.ContainerState.Busy;
import dev.hearth.invoker.pool.ContainerState.Idle;
import dev.hearth.invoker.pool.ContainerState.Prewarmed;
import dev.hearth.invoker.pool.ContainerState.Prewarming;
import dev.hearth.invoker.pool.ContainerState.Starting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pool's decisions, as pure functions of a {@link PoolSnapshot} (after OpenWhisk's
 * {@code ContainerPool.schedule} and {@code remove}).
 *
 * <h2>Algorithm</h2>
 * For a request (action key, memory M), in order:
 * <ol>
 *   <li><b>UseWarm</b> — an {@code Idle} container whose action key equals the request's (same path,
 *       version and code digest). Among several, the most recently used, so that the least recently
 *       used ones age towards eviction and idle removal.</li>
 *   <li><b>UsePrewarmed</b> — a stem cell ({@code Prewarmed}) of the request's kind and exactly its memory:
 *       first one holding the request's bundle pre-loaded (of those, the one holding fewest others),
 *       else one holding no pre-loads, else the one holding fewest (binding a cell drops its other
 *       pre-loads); ties go to the oldest.</li>
 *   <li><b>ColdStart</b> — free memory is at least what the new container needs. Free memory is user
 *       memory minus every container's charge (starting, busy, idle or removing) minus the tensor
 *       store. A container's charge is its memory less the weights it maps from the store (shared
 *       bytes are charged once, to the store); the new container needs M less the part of its weights
 *       the store already holds (from the bundle's tensor index). If free memory falls short but
 *       unreferenced tensors (minus this request's own) would cover it, reclaim exactly the shortfall
 *       first.</li>
 *   <li><b>EvictThenColdStart</b> — take idle containers of other actions (or other versions) in
 *       least-recently-used order, then stem cells (oldest first), until free memory, reclaimable tensors and what they free (their
 *       charge plus the tensors only they reference) reach the need; evict exactly those, reclaim the
 *       rest of the shortfall from the store.</li>
 *   <li><b>Queue</b> — even evicting every idle container would not free M: busy and starting
 *       containers must finish first.</li>
 *   <li><b>Reject</b> — M is more than the user memory: it can never run here.</li>
 * </ol>
 * {@link #scheduleAhead} decides for a container started ahead of demand (the scheduler's warm
 * targets): a stem cell or a cold start within free memory, never more.
 * {@link #idleExpired} picks the idle containers unused for at least the idle timeout;
 * {@link #prewarmStarts} the stem cells to start so that each target's count is met, as far as free
 * memory allows without evicting anything, and {@link #stemCellsWait} whether they wait for a moment
 * when no container starts or runs.
 *
 * <h2>Worked example</h2>
 * User memory 1024 MB. Containers: {@code a} idle for {@code ns/x} v1 (256 MB, last used 10:00),
 * {@code b} idle for {@code ns/y} (256 MB, 10:05), {@code c} busy (256 MB). Free: 1024 − 768 = 256.
 * <ul>
 *   <li>{@code ns/x} v1, 256 MB → UseWarm(a).</li>
 *   <li>{@code ns/x} v2, 256 MB → ColdStart (256 free; {@code a} is the wrong version).</li>
 *   <li>{@code ns/z}, 512 MB → EvictThenColdStart([a]): 256 free + a's 256 = 512, b stays.</li>
 *   <li>{@code ns/z}, 1024 MB → Queue: 256 + 256 + 256 = 768 &lt; 1024 while c is busy.</li>
 *   <li>{@code ns/z}, 2048 MB → Reject.</li>
 * </ul>
 * With an idle timeout of 10 minutes, at 10:12 {@link #idleExpired} returns [a].
 *
 * <p>Shared weights: user memory 2000 MB, three idle ResNet-50 containers of 512 MB each mapping the
 * same 98 MB of weights (charged 414 each, store 98): used 1340, free 660. A fourth for the same
 * bundle needs 512 − 98 = 414 → ColdStart; charged in full it would need 512 and, with 464 free
 * without sharing, it would have to evict. Store 150 MB of which 52 unreferenced, free 10, request
 * needs 40 → ColdStart(reclaim 30).
 *
 * <h2>Caveats</h2>
 * The service applies decisions to its queue's head only (strict FIFO, like OpenWhisk's run buffer),
 * so a request that must wait for memory also holds back later ones that a warm container could serve.
 * Eviction ignores how expensive a container was to start.
 */
public final class PoolPolicy {
    private PoolPolicy() {}

    public static PoolDecision schedule(PoolSnapshot pool, PoolRequest request) {
        if (request.memoryMb() > pool.userMemoryMb()) {
            return new PoolDecision.Reject("the action needs " + request.memoryMb() + " MB but the invoker has "
                    + pool.userMemoryMb() + " MB for containers");
        }
        List<PoolEntry> idle = new ArrayList<>();
        List<PoolEntry> stemCells = new ArrayList<>();
        PoolEntry warm = null;
        Instant warmLastUsed = null;
        PoolEntry stem = null;
        for (PoolEntry e : pool.entries()) {
            if (e.state() instanceof Idle i) {
                idle.add(e);
                if (i.action().equals(request.action())
                        && (warm == null || i.lastUsed().isAfter(warmLastUsed))) {
                    warm = e;
                    warmLastUsed = i.lastUsed();
                }
            } else if (e.state() instanceof Prewarmed p) {
                stemCells.add(e);
                if (p.kind().equals(request.kind())
                        && e.memoryMb() == request.memoryMb()
                        && (stem == null || stemRank(e, request) < stemRank(stem, request))) {
                    stem = e;
                }
            }
        }
        if (warm != null) {
            return new PoolDecision.UseWarm(warm.id());
        }
        if (stem != null) {
            return new PoolDecision.UsePrewarmed(
                    stem.id(),
                    ((Prewarmed) stem.state())
                            .preloaded()
                            .contains(request.action().digest()));
        }
        int need = request.neededMb();
        int free = pool.freeMemoryMb();
        if (free >= need) {
            return new PoolDecision.ColdStart();
        }
        int reclaimable = Math.max(0, pool.reclaimableMb() - request.unreferencedMb());
        if (free + reclaimable >= need) {
            return new PoolDecision.ColdStart(need - free);
        }
        idle.sort(Comparator.comparing(e -> ((Idle) e.state()).lastUsed()));
        stemCells.sort(Comparator.comparing(e -> ((Prewarmed) e.state()).since()));
        idle.addAll(stemCells);
        List<String> victims = new ArrayList<>();
        int freed = 0;
        for (PoolEntry e : idle) {
            victims.add(e.id());
            freed += e.chargedMb();
            reclaimable += e.exclusiveMb();
            if (free + freed + reclaimable >= need) {
                return new PoolDecision.EvictThenColdStart(victims, Math.max(0, need - free - freed));
            }
        }
        return new PoolDecision.Queue();
    }

    /**
     * A container for {@code request} started ahead of demand: it must add a container, and speculation
     * must not displace what is there. So: never an idle container of the action (that adds nothing),
     * never eviction, never reclaiming tensors, never a stem cell holding other functions' pre-loads.
     * A stem cell of the kind and memory holding this bundle or nothing ({@code UsePrewarmed}), else
     * {@code ColdStart} when free memory covers the need, else {@code Queue} — meaning "not now" (the
     * caller does not wait). {@code Reject} as {@link #schedule}.
     *
     * <p>Example, user memory 1024 MB, {@code a} idle for {@code ns/x} (256 MB), free 768: {@code ns/x}
     * 256 MB → ColdStart (not UseWarm(a)); {@code ns/x} 1024 MB → Queue (it would have to evict a);
     * with an empty 256 MB {@code java} stem cell {@code s}, {@code ns/x} of kind java → UsePrewarmed(s).
     */
    public static PoolDecision scheduleAhead(PoolSnapshot pool, PoolRequest request) {
        if (request.memoryMb() > pool.userMemoryMb()) {
            return schedule(pool, request);
        }
        PoolEntry stem = null;
        for (PoolEntry e : pool.entries()) {
            if (e.state() instanceof Prewarmed p
                    && p.kind().equals(request.kind())
                    && e.memoryMb() == request.memoryMb()
                    && stemRank(e, request) <= EMPTY
                    && (stem == null || stemRank(e, request) < stemRank(stem, request))) {
                stem = e;
            }
        }
        if (stem != null) {
            return new PoolDecision.UsePrewarmed(
                    stem.id(),
                    ((Prewarmed) stem.state())
                            .preloaded()
                            .contains(request.action().digest()));
        }
        return pool.freeMemoryMb() >= request.neededMb() ? new PoolDecision.ColdStart() : new PoolDecision.Queue();
    }

    /** {@link #stemRank} of a stem cell holding nothing: every cell holding the request's bundle ranks lower. */
    private static final long EMPTY = 1L << 20;

    /**
     * Orders stem cells for a request: holding its bundle and n others (n), holding nothing
     * ({@link #EMPTY}), holding n others ({@link #EMPTY} + n); ties keep pool order, which is creation
     * order (the oldest first).
     */
    private static long stemRank(PoolEntry e, PoolRequest request) {
        java.util.Set<String> preloaded = ((Prewarmed) e.state()).preloaded();
        if (preloaded.contains(request.action().digest())) {
            return preloaded.size() - 1;
        }
        return EMPTY + preloaded.size();
    }

    /**
     * The stem cells to start now, one entry per container: for each target, as many as are missing
     * ({@code Prewarming} and {@code Prewarmed} of its kind and memory count as present) while free
     * memory covers them. Nothing is evicted or reclaimed for a stem cell.
     */
    public static List<PrewarmTarget> prewarmStarts(PoolSnapshot pool, List<PrewarmTarget> targets) {
        int free = pool.freeMemoryMb();
        List<PrewarmTarget> starts = new ArrayList<>();
        for (PrewarmTarget t : targets) {
            long present = pool.entries().stream()
                    .filter(e -> e.memoryMb() == t.memoryMb()
                            && ((e.state() instanceof Prewarming p && p.kind().equals(t.kind()))
                                    || (e.state() instanceof Prewarmed q
                                            && q.kind().equals(t.kind()))))
                    .count();
            for (long i = present; i < t.count() && free >= t.memoryMb(); i++) {
                starts.add(new PrewarmTarget(t.kind(), t.memoryMb(), 1));
                free -= t.memoryMb();
            }
        }
        return starts;
    }

    /** How long missing stem cells wait for the invoker to be quiet before they start anyway. */
    public static final Duration STEM_CELL_PATIENCE = Duration.ofSeconds(2);

    /**
     * Whether missing stem cells wait instead of starting now: while a container of the invoker is
     * starting or running an activation, at most {@code patience} after they were first found missing
     * ({@code missingSince}). A stem cell's start (a JVM, and for model kinds libtorch and the warmed load
     * path: about 0.4 s of both cores on a 2-core machine) taken at once competed with the very activation
     * that took the previous stem cell: ResNet-18 cold starts bound to stem cells ran their first forward
     * pass in 199–276 ms against 50 ms in a fresh container, and their first result came no sooner than
     * from a container started from nothing. The patience keeps an invoker that is never quiet supplied.
     * Example: one busy container, missing for 1 s of 2 → wait; missing for 2 s → start.
     */
    public static boolean stemCellsWait(PoolSnapshot pool, Instant missingSince, Instant now, Duration patience) {
        boolean working =
                pool.entries().stream().anyMatch(e -> e.state() instanceof Starting || e.state() instanceof Busy);
        return working && Duration.between(missingSince, now).compareTo(patience) < 0;
    }

    /**
     * As {@link #idleExpired(PoolSnapshot, Instant, Duration)}, sparing warm targets: an action (by path)
     * in {@code protect} with W keeps its containers while it holds W or fewer initialised ones (starting,
     * busy or idle); above W only its oldest expired idle ones go, down to W. Example: target {@code r=2},
     * three idle {@code r} all expired → the oldest one goes.
     */
    public static List<String> idleExpired(
            PoolSnapshot pool, Instant now, Duration idleTimeout, java.util.Map<String, Integer> protect) {
        return idleExpired(pool, now, idleTimeout, protect, java.util.Map.of());
    }

    /**
     * As {@link #idleExpired(PoolSnapshot, Instant, Duration, java.util.Map)}, with the scheduler's keep-alive
     * per action (path → duration): an idle container of an action listed there expires after that long
     * instead of {@code idleTimeout}; the warm target still spares its count. Example: target {@code r=1},
     * keep-alive 2 s, two idle {@code r} idle 5 s with a 10-minute idle timeout → the older one goes.
     */
    public static List<String> idleExpired(
            PoolSnapshot pool,
            Instant now,
            Duration idleTimeout,
            java.util.Map<String, Integer> protect,
            java.util.Map<String, Duration> keepAlive) {
        List<String> expired = pool.entries().stream()
                .filter(e -> e.state() instanceof Idle i
                        && !i.lastUsed()
                                .plus(keepAlive.getOrDefault(i.action().path(), idleTimeout))
                                .isAfter(now))
                .sorted(Comparator.comparing(e -> ((Idle) e.state()).lastUsed()))
                .map(PoolEntry::id)
                .toList();
        if (protect.isEmpty()) {
            return expired;
        }
        java.util.Map<String, Integer> spare = new java.util.HashMap<>();
        java.util.Map<String, String> actionOf = new java.util.HashMap<>();
        for (PoolEntry e : pool.entries()) {
            ActionKey a = switch (e.state()) {
                case ContainerState.Starting s -> s.action();
                case ContainerState.Busy b -> b.action();
                case Idle i -> i.action();
                default -> null;
            };
            if (a != null) {
                actionOf.put(e.id(), a.path());
                if (protect.containsKey(a.path())) {
                    spare.merge(a.path(), 1, Integer::sum);
                }
            }
        }
        spare.replaceAll((path, held) -> held - protect.get(path));
        List<String> out = new ArrayList<>();
        for (String id : expired) {
            String path = actionOf.get(id);
            Integer left = path == null ? null : spare.get(path);
            if (left == null) {
                out.add(id);
            } else if (left > 0) {
                out.add(id);
                spare.put(path, left - 1);
            }
        }
        return out;
    }

    /** Idle containers not used for at least {@code idleTimeout} at {@code now}, oldest first. */
    public static List<String> idleExpired(PoolSnapshot pool, Instant now, Duration idleTimeout) {
        return pool.entries().stream()
                .filter(e -> e.state() instanceof Idle i
                        && !i.lastUsed().plus(idleTimeout).isAfter(now))
                .sorted(Comparator.comparing(e -> ((Idle) e.state()).lastUsed()))
                .map(PoolEntry::id)
                .toList();
    }
}
