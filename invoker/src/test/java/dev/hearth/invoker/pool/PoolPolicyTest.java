package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.pool.ContainerState.Busy;
import dev.hearth.invoker.pool.ContainerState.Idle;
import dev.hearth.invoker.pool.ContainerState.Removing;
import dev.hearth.invoker.pool.ContainerState.Starting;
import dev.hearth.invoker.pool.PoolDecision.ColdStart;
import dev.hearth.invoker.pool.PoolDecision.EvictThenColdStart;
import dev.hearth.invoker.pool.PoolDecision.Queue;
import dev.hearth.invoker.pool.PoolDecision.Reject;
import dev.hearth.invoker.pool.PoolDecision.UsePrewarmed;
import dev.hearth.invoker.pool.PoolDecision.UseWarm;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PoolPolicyTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final ActionKey X1 = new ActionKey("ns/x", "0.0.1", "a".repeat(64));
    static final ActionKey X2 = new ActionKey("ns/x", "0.0.2", "b".repeat(64));
    static final ActionKey Y = new ActionKey("ns/y", "0.0.1", "c".repeat(64));
    static final ActionKey Z = new ActionKey("ns/z", "0.0.1", "d".repeat(64));

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static PoolEntry idle(String id, int mb, ActionKey key, int lastUsedMinute) {
        return new PoolEntry(id, mb, new Idle(key, at(lastUsedMinute)));
    }

    static PoolEntry busy(String id, int mb, ActionKey key) {
        return new PoolEntry(id, mb, new Busy(key, T0, "act"));
    }

    static PoolEntry starting(String id, int mb, ActionKey key) {
        return new PoolEntry(id, mb, new Starting(key, T0));
    }

    static PoolEntry removing(String id, int mb) {
        return new PoolEntry(id, mb, new Removing(T0));
    }

    static PoolEntry shared(String id, int mb, int sharedMb, int exclusiveMb, ActionKey key, int lastUsedMinute) {
        return new PoolEntry(id, mb, sharedMb, exclusiveMb, new Idle(key, at(lastUsedMinute)));
    }

    static PoolSnapshot store(int userMb, int storeMb, int reclaimableMb, PoolEntry... entries) {
        return new PoolSnapshot(userMb, List.of(entries), storeMb, reclaimableMb);
    }

    /** The class header's shared example: three idle ResNet-50 containers (512 MB) mapping the same 98 MB. */
    static PoolSnapshot resnets(int userMb) {
        return store(
                userMb,
                98,
                0,
                shared("r1", 512, 98, 0, Y, 0),
                shared("r2", 512, 98, 0, Y, 1),
                shared("r3", 512, 98, 0, Y, 2));
    }

    static PoolEntry stem(String id, int mb, String kind, int sinceMinute, String... preloaded) {
        return new PoolEntry(id, mb, new ContainerState.Prewarmed(kind, at(sinceMinute), java.util.Set.of(preloaded)));
    }

    /** A model stem cell still starting. */
    static PoolEntry prewarming(String id, int mb) {
        return new PoolEntry(id, mb, new ContainerState.Prewarming("djl:pytorch", T0));
    }

    static PoolSnapshot pool(int userMb, PoolEntry... entries) {
        return new PoolSnapshot(userMb, List.of(entries));
    }

    /** The class header's worked example: a idle x v1 (10:00), b idle y (10:05), c busy; 1024 MB. */
    static PoolSnapshot example() {
        return pool(1024, idle("a", 256, X1, 0), idle("b", 256, Y, 5), busy("c", 256, Z));
    }

    static Stream<Arguments> schedule() {
        return Stream.of(
                Arguments.of("empty pool, room → cold start", pool(1024), new PoolRequest(X1, 256), new ColdStart()),
                Arguments.of(
                        "example: same action and version idle → warm",
                        example(),
                        new PoolRequest(X1, 256),
                        new UseWarm("a")),
                Arguments.of(
                        "example: other version is not warm → cold start",
                        example(),
                        new PoolRequest(X2, 256),
                        new ColdStart()),
                Arguments.of(
                        "example: evict the LRU idle only",
                        example(),
                        new PoolRequest(Z, 512),
                        new EvictThenColdStart(List.of("a"))),
                Arguments.of(
                        "example: busy memory cannot be freed → queue",
                        example(),
                        new PoolRequest(Z, 1024),
                        new Queue()),
                Arguments.of(
                        "example: more than the invoker has → reject",
                        example(),
                        new PoolRequest(Z, 2048),
                        new Reject("the action needs 2048 MB but the invoker has 1024 MB for containers")),
                Arguments.of(
                        "two warm: the most recently used",
                        pool(1024, idle("old", 256, X1, 0), idle("new", 256, X1, 7)),
                        new PoolRequest(X1, 256),
                        new UseWarm("new")),
                Arguments.of(
                        "warm preferred even when memory is free",
                        pool(4096, idle("a", 256, X1, 0)),
                        new PoolRequest(X1, 256),
                        new UseWarm("a")),
                Arguments.of(
                        "busy container of the same action is not warm → cold start",
                        pool(1024, busy("a", 256, X1)),
                        new PoolRequest(X1, 256),
                        new ColdStart()),
                Arguments.of(
                        "starting container of the same action is not warm, full → queue",
                        pool(256, starting("a", 256, X1)),
                        new PoolRequest(X1, 256),
                        new Queue()),
                Arguments.of(
                        "exact fit → cold start",
                        pool(512, busy("a", 256, Y)),
                        new PoolRequest(X1, 256),
                        new ColdStart()),
                Arguments.of(
                        "model: a 4 GB action on the default 4096 MB → cold start",
                        pool(4096),
                        new PoolRequest(Z, 4096),
                        new ColdStart()),
                Arguments.of(
                        "model: 3 GB needs two idle Java containers and a 2 GB model evicted, LRU first",
                        pool(4096, idle("j1", 256, X1, 0), idle("m", 2048, Y, 1), idle("j2", 256, X2, 2)),
                        new PoolRequest(Z, 3072),
                        new EvictThenColdStart(List.of("j1", "m"))),
                Arguments.of(
                        "model: a busy 2 GB model holds back a 3 GB one → queue",
                        pool(4096, busy("m", 2048, Y), idle("j", 256, X1, 0)),
                        new PoolRequest(Z, 3072),
                        new Queue()),
                Arguments.of(
                        "evict several in LRU order",
                        pool(768, idle("a", 256, Y, 9), idle("b", 256, Y, 1), idle("c", 256, Y, 5)),
                        new PoolRequest(X1, 512),
                        new EvictThenColdStart(List.of("b", "c"))),
                Arguments.of(
                        "free memory counts towards eviction",
                        pool(1024, busy("a", 512, Y), idle("b", 256, Y, 1)),
                        new PoolRequest(X1, 512),
                        new EvictThenColdStart(List.of("b"))),
                Arguments.of(
                        "removing containers still hold memory → queue",
                        pool(512, removing("a", 256), busy("b", 256, Y)),
                        new PoolRequest(X1, 256),
                        new Queue()),
                Arguments.of(
                        "full of busy → queue",
                        pool(512, busy("a", 256, Y), busy("b", 256, Y)),
                        new PoolRequest(Y, 256),
                        new Queue()),
                Arguments.of(
                        "a stem cell of the kind and memory serves a request that is not warm",
                        pool(2048, stem("s", 1024, "djl:pytorch", 0)),
                        new PoolRequest(Y, "djl:pytorch", 1024),
                        new UsePrewarmed("s", false)),
                Arguments.of(
                        "warm beats a stem cell",
                        pool(4096, stem("s", 1024, "djl:pytorch", 0), idle("w", 1024, Y, 1)),
                        new PoolRequest(Y, "djl:pytorch", 1024),
                        new UseWarm("w")),
                Arguments.of(
                        "the stem cell holding the bundle pre-loaded, then one holding nothing, then fewest",
                        pool(
                                8192,
                                stem("two", 1024, "djl:pytorch", 0, "p", "q"),
                                stem("none", 1024, "djl:pytorch", 1),
                                stem("mine", 1024, "djl:pytorch", 2, "c".repeat(64))),
                        new PoolRequest(Y, "djl:pytorch", 1024),
                        new UsePrewarmed("mine", true)),
                Arguments.of(
                        "of the stem cells holding its bundle, the one holding fewest others (older one holds more)",
                        pool(
                                8192,
                                stem("crowded", 1024, "djl:pytorch", 0, "c".repeat(64), "p", "q"),
                                stem("spare", 1024, "djl:pytorch", 1, "c".repeat(64))),
                        new PoolRequest(Y, "djl:pytorch", 1024),
                        new UsePrewarmed("spare", true)),
                Arguments.of(
                        "without its pre-load, an empty stem cell before a busy one",
                        pool(8192, stem("two", 1024, "djl:pytorch", 0, "p", "q"), stem("none", 1024, "djl:pytorch", 1)),
                        new PoolRequest(Y, "djl:pytorch", 1024),
                        new UsePrewarmed("none", false)),
                Arguments.of(
                        "another memory size or kind does not match → cold start",
                        pool(8192, stem("s", 1024, "djl:pytorch", 0), stem("j", 512, "java", 0)),
                        new PoolRequest(Y, "djl:pytorch", 512),
                        new ColdStart()),
                Arguments.of(
                        "stem cells are evicted after idle containers, oldest first",
                        pool(2048, stem("s1", 512, "java", 0), idle("i", 512, X1, 5), stem("s2", 512, "java", 1)),
                        new PoolRequest(Z, "djl:pytorch", 1536),
                        new EvictThenColdStart(List.of("i", "s1"))),
                Arguments.of(
                        "shared: a fourth ResNet-50 whose weights are stored fits (needs 414 of 660 free)",
                        resnets(2000),
                        new PoolRequest(X1, 512, 98, 0),
                        new ColdStart()),
                Arguments.of(
                        "shared: in 1900 MB the fourth still fits without evicting (560 free)",
                        resnets(1900),
                        new PoolRequest(X1, 512, 98, 0),
                        new ColdStart()),
                Arguments.of(
                        "unshared: the same pool without the store discount must evict",
                        pool(1900, idle("r1", 512, Y, 0), idle("r2", 512, Y, 1), idle("r3", 512, Y, 2)),
                        new PoolRequest(X1, 512),
                        new EvictThenColdStart(List.of("r1"))),
                Arguments.of(
                        "shared: a request whose weights are not stored yet needs its full memory",
                        resnets(1800),
                        new PoolRequest(Z, 512),
                        new EvictThenColdStart(List.of("r1"))),
                Arguments.of(
                        "store example: 10 free, 52 reclaimable, need 40 → reclaim 30",
                        store(1020, 150, 52, busy("a", 860, Y)),
                        new PoolRequest(X1, 40),
                        new ColdStart(30)),
                Arguments.of(
                        "the request's own unreferenced tensors are not reclaimable for it",
                        store(1020, 150, 52, busy("a", 860, Y)),
                        new PoolRequest(X1, 90, 50, 50),
                        new Queue()),
                Arguments.of(
                        "evicting a container frees its charge and makes its exclusive tensors reclaimable",
                        store(1000, 100, 0, busy("a", 400, Y), shared("b", 500, 100, 100, X2, 0)),
                        new PoolRequest(Z, 550),
                        new EvictThenColdStart(List.of("b"), 50)),
                Arguments.of(
                        "evicting a container whose tensors others share frees only its charge",
                        store(1000, 100, 0, shared("a", 400, 100, 0, Y, 5), shared("b", 500, 100, 0, Y, 0)),
                        new PoolRequest(Z, 700),
                        new EvictThenColdStart(List.of("b", "a"), 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void schedule(String label, PoolSnapshot pool, PoolRequest request, PoolDecision expected) {
        assertThat(PoolPolicy.schedule(pool, request)).isEqualTo(expected);
    }

    static final PoolRequest X_256 = new PoolRequest(new ActionKey("ns/x", "0.0.1", "a".repeat(64)), "java", 256);

    static Stream<Arguments> scheduleAhead() {
        return Stream.of(
                Arguments.of(
                        "header: an idle container of the action adds nothing → cold start",
                        pool(1024, idle("a", 256, X1, 0)),
                        X_256,
                        new ColdStart()),
                Arguments.of(
                        "header: it would have to evict → not now",
                        pool(1024, idle("a", 256, X1, 0)),
                        new PoolRequest(X1, "java", 1024),
                        new Queue()),
                Arguments.of(
                        "header: an empty stem cell of the kind and memory",
                        pool(1024, idle("a", 256, X1, 0), stem("s", 256, "java", 0)),
                        X_256,
                        new UsePrewarmed("s", false)),
                Arguments.of(
                        "the stem cell holding the bundle before an empty one",
                        pool(1024, stem("s", 256, "java", 0), stem("t", 256, "java", 1, X1.digest())),
                        X_256,
                        new UsePrewarmed("t", true)),
                Arguments.of(
                        "a stem cell holding another function's pre-load is left alone",
                        pool(1024, stem("s", 256, "java", 0, Y.digest())),
                        X_256,
                        new ColdStart()),
                Arguments.of("no tensors reclaimed for speculation", store(1024, 800, 800), X_256, new Queue()),
                Arguments.of(
                        "too big for the invoker",
                        pool(1024),
                        new PoolRequest(X1, "java", 2048),
                        new Reject("the action needs 2048 MB but the invoker has 1024 MB for containers")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void scheduleAhead(String label, PoolSnapshot pool, PoolRequest request, PoolDecision expected) {
        assertThat(PoolPolicy.scheduleAhead(pool, request)).isEqualTo(expected);
    }

    static Stream<Arguments> idleExpired() {
        Duration tenMinutes = Duration.ofMinutes(10);
        return Stream.of(
                Arguments.of(
                        "example at 10:12: a (10:00) goes, b (10:05) stays",
                        example(),
                        at(12),
                        tenMinutes,
                        List.of("a")),
                Arguments.of("exactly the timeout → goes", example(), at(10), tenMinutes, List.of("a")),
                Arguments.of("just before → nothing", example(), at(10).minusMillis(1), tenMinutes, List.of()),
                Arguments.of("both, oldest first", example(), at(60), tenMinutes, List.of("a", "b")),
                Arguments.of(
                        "busy and starting never expire",
                        pool(1024, busy("c", 256, Z), starting("d", 256, X1)),
                        at(600),
                        tenMinutes,
                        List.of()),
                Arguments.of("empty pool", pool(1024), at(600), tenMinutes, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void idleExpired(String label, PoolSnapshot pool, Instant now, Duration timeout, List<String> expected) {
        assertThat(PoolPolicy.idleExpired(pool, now, timeout)).isEqualTo(expected);
    }

    static Stream<Arguments> idleExpiredKeepAlive() {
        // all idle for 5 s at 10:00:05 (last used 10:00:00, 10:00:00.1, ...); the pool's timeout is 10 minutes
        PoolSnapshot twoR = pool(2048, idle("r1", 256, X1, 0), idle("r2", 256, X1, 0), idle("y", 256, Y, 0));
        Map<String, Duration> twoSeconds = Map.of("ns/x", Duration.ofSeconds(2));
        return Stream.of(
                Arguments.of(
                        "javadoc example: target 1, keep-alive 2 s → one x goes",
                        twoR,
                        Map.of("ns/x", 1),
                        twoSeconds,
                        List.of("r1")),
                Arguments.of(
                        "no target: both x go after 2 s, y keeps the pool's timeout",
                        twoR,
                        Map.of(),
                        twoSeconds,
                        List.of("r1", "r2")),
                Arguments.of("no keep-alive: the pool's 10 minutes", twoR, Map.of("ns/x", 1), Map.of(), List.of()),
                Arguments.of(
                        "a keep-alive longer than the idle time keeps them",
                        twoR,
                        Map.of(),
                        Map.of("ns/x", Duration.ofSeconds(6)),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void idleExpiredKeepAlive(
            String label,
            PoolSnapshot pool,
            Map<String, Integer> protect,
            Map<String, Duration> keepAlive,
            List<String> expected) {
        assertThat(PoolPolicy.idleExpired(pool, T0.plusSeconds(5), Duration.ofMinutes(10), protect, keepAlive))
                .isEqualTo(expected);
    }

    static Stream<Arguments> idleExpiredProtected() {
        Duration tenMinutes = Duration.ofMinutes(10);
        PoolSnapshot threeX = pool(
                2048, idle("x1", 256, X1, 0), idle("x2", 256, X1, 1), idle("x3", 256, X1, 2), idle("y", 256, Y, 0));
        return Stream.of(
                Arguments.of(
                        "javadoc example: target x=2, three idle x expired → the oldest x goes; y unprotected",
                        threeX,
                        Map.of("ns/x", 2),
                        List.of("x1", "y")),
                Arguments.of("target x=3: all x kept", threeX, Map.of("ns/x", 3), List.of("y")),
                Arguments.of("target above what is held: all kept", threeX, Map.of("ns/x", 5), List.of("y")),
                Arguments.of("no targets: plain keep-alive", threeX, Map.of(), List.of("x1", "y", "x2", "x3")),
                Arguments.of(
                        "busy containers count toward the target",
                        pool(2048, idle("x1", 256, X1, 0), idle("x2", 256, X1, 1), busy("x3", 256, X1)),
                        Map.of("ns/x", 2),
                        List.of("x1")),
                Arguments.of(
                        "versions of one action count together",
                        pool(2048, idle("x1", 256, X1, 0), idle("x2", 256, X2, 1)),
                        Map.of("ns/x", 1),
                        List.of("x1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void idleExpiredProtected(String label, PoolSnapshot pool, Map<String, Integer> protect, List<String> expected) {
        assertThat(PoolPolicy.idleExpired(pool, at(60), Duration.ofMinutes(10), protect))
                .isEqualTo(expected);
    }

    static Stream<Arguments> prewarmStarts() {
        PrewarmTarget models = new PrewarmTarget("djl:pytorch", 1024, 2);
        PrewarmTarget java = new PrewarmTarget("java", 256, 1);
        return Stream.of(
                Arguments.of("empty pool: all of them", pool(4096), List.of(models, java), 3),
                Arguments.of(
                        "present and starting ones count",
                        pool(4096, stem("s", 1024, "djl:pytorch", 0), prewarming("p", 1024)),
                        List.of(models, java),
                        1),
                Arguments.of(
                        "as far as free memory goes, no eviction",
                        pool(1300, busy("b", 200, Y)),
                        List.of(models, java),
                        1),
                Arguments.of(
                        "a stem cell of another size does not count",
                        pool(8192, stem("s", 512, "djl:pytorch", 0)),
                        List.of(models),
                        2),
                Arguments.of("no targets", pool(4096), List.of(), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void prewarmStarts(String label, PoolSnapshot pool, List<PrewarmTarget> targets, int expected) {
        assertThat(PoolPolicy.prewarmStarts(pool, targets)).hasSize(expected);
    }

    static Stream<Arguments> stemCellsWait() {
        Duration patience = Duration.ofSeconds(2);
        Instant missing = T0;
        return Stream.of(
                Arguments.of("nothing runs: start now", pool(4096, idle("i", 256, Y, 0)), missing, T0, patience, false),
                Arguments.of(
                        "an activation runs, missing for 1 s of 2: wait",
                        pool(4096, busy("b", 256, Y)),
                        missing,
                        T0.plusSeconds(1),
                        patience,
                        true),
                Arguments.of(
                        "a container starts: wait",
                        pool(4096, starting("s", 256, Y)),
                        missing,
                        T0.plusMillis(300),
                        patience,
                        true),
                Arguments.of(
                        "busy all along, missing for 2 s: start anyway",
                        pool(4096, busy("b", 256, Y)),
                        missing,
                        T0.plusSeconds(2),
                        patience,
                        false),
                Arguments.of(
                        "stem cells starting or ready do not hold others back",
                        pool(4096, stem("s", 1024, "djl:pytorch", 0), prewarming("p", 1024)),
                        missing,
                        T0,
                        patience,
                        false),
                Arguments.of(
                        "no patience: never wait", pool(4096, busy("b", 256, Y)), missing, T0, Duration.ZERO, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void stemCellsWait(
            String label, PoolSnapshot pool, Instant missingSince, Instant now, Duration patience, boolean expected) {
        assertThat(PoolPolicy.stemCellsWait(pool, missingSince, now, patience)).isEqualTo(expected);
    }
}
