package dev.hearth.controller.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.loadbalancer.ShardingPolicy.Decision;
import dev.hearth.controller.loadbalancer.ShardingPolicy.InFlight;
import dev.hearth.controller.loadbalancer.ShardingPolicy.Invoker;
import dev.hearth.controller.loadbalancer.ShardingPolicy.Request;
import dev.hearth.controller.loadbalancer.ShardingPolicy.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardingPolicyTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration HEALTH = Duration.ofSeconds(10);

    /** An action whose hash is known: home and step follow from it. */
    private static final String NS = "guest";

    private static String actionWithHash(int n, int home, int stepIndex, int coprimeCount) {
        for (int i = 0; ; i++) {
            String a = "guest/a" + i;
            int h = ShardingPolicy.hash(NS, a);
            if (h % n == home && h % coprimeCount == stepIndex) {
                return a;
            }
        }
    }

    private static Snapshot snapshot(int controllers, int[] memory, int[] used, boolean[] healthy) {
        Map<Integer, Invoker> invokers = new HashMap<>();
        Map<Integer, Integer> usedMb = new HashMap<>();
        for (int i = 0; i < memory.length; i++) {
            if (memory[i] >= 0) {
                Instant ping = healthy[i] ? NOW.minusSeconds(1) : NOW.minusSeconds(11);
                invokers.put(i, new Invoker(i, memory[i], ping));
            }
            if (used[i] > 0) {
                usedMb.put(i, used[i]);
            }
        }
        return new Snapshot(invokers, usedMb, controllers, HEALTH);
    }

    static Stream<Arguments> placements() {
        // n = 3, coprimes(3) = [1, 2]; actions chosen so that home = 1 and step = 2: walk 1, 0, 2.
        String home1step2 = actionWithHash(3, 1, 1, 2);
        boolean[] allHealthy = {true, true, true};
        return Stream.of(
                Arguments.of(
                        "home free",
                        snapshot(1, new int[] {512, 512, 512}, new int[] {0, 0, 0}, allHealthy),
                        home1step2,
                        256,
                        new Decision.Placed(1, false)),
                Arguments.of(
                        "home full -> next by step",
                        snapshot(1, new int[] {512, 512, 512}, new int[] {0, 512, 0}, allHealthy),
                        home1step2,
                        256,
                        new Decision.Placed(0, false)),
                Arguments.of(
                        "home and next full -> third",
                        snapshot(1, new int[] {512, 512, 512}, new int[] {400, 512, 0}, allHealthy),
                        home1step2,
                        256,
                        new Decision.Placed(2, false)),
                Arguments.of(
                        "slots divided by controllers",
                        snapshot(2, new int[] {1024, 1024, 1024}, new int[] {0, 300, 0}, allHealthy),
                        home1step2,
                        256,
                        new Decision.Placed(0, false)),
                Arguments.of(
                        "exact fit is enough",
                        snapshot(1, new int[] {512, 512, 512}, new int[] {0, 256, 0}, allHealthy),
                        home1step2,
                        256,
                        new Decision.Placed(1, false)),
                Arguments.of(
                        "unhealthy home skipped",
                        snapshot(1, new int[] {512, 512, 512}, new int[] {0, 0, 0}, new boolean[] {true, false, true}),
                        home1step2,
                        256,
                        new Decision.Placed(0, false)),
                Arguments.of(
                        "unknown index skipped",
                        snapshot(1, new int[] {512, -1, 512}, new int[] {0, 0, 0}, allHealthy),
                        home1step2,
                        256,
                        new Decision.Placed(0, false)),
                Arguments.of(
                        "all full -> forced onto a healthy one",
                        snapshot(1, new int[] {512, 512, 512}, new int[] {512, 512, 512}, new boolean[] {
                            false, true, false
                        }),
                        home1step2,
                        256,
                        new Decision.Placed(1, true)),
                Arguments.of(
                        "none healthy",
                        snapshot(
                                1, new int[] {512, 512, 512}, new int[] {0, 0, 0}, new boolean[] {false, false, false}),
                        home1step2,
                        256,
                        new Decision.NoInvoker()),
                Arguments.of(
                        "no invokers",
                        new Snapshot(Map.of(), Map.of(), 1, HEALTH),
                        home1step2,
                        256,
                        new Decision.NoInvoker()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void places(String label, Snapshot snapshot, String action, int memory, Decision expected) {
        assertThat(ShardingPolicy.place(snapshot, new Request(NS, action, memory), NOW, new Random(42)))
                .isEqualTo(expected);
    }

    /** Invokers 0..2 with 512 MB each, healthy; {@code warm[i]}/{@code preloaded[i]} what invoker i pinged. */
    private static Snapshot holding(int[] used, String[] warm, String[] preloaded) {
        Map<Integer, Invoker> invokers = new HashMap<>();
        Map<Integer, Integer> usedMb = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            invokers.put(
                    i,
                    new Invoker(
                            i,
                            512,
                            NOW.minusSeconds(1),
                            warm[i] == null ? java.util.Set.of() : java.util.Set.of(warm[i]),
                            preloaded[i] == null ? java.util.Set.of() : java.util.Set.of(preloaded[i])));
            usedMb.put(i, used[i]);
        }
        return new Snapshot(invokers, usedMb, 1, HEALTH);
    }

    static Stream<Arguments> proactive() {
        String action = actionWithHash(3, 1, 1, 2); // home 1, walk 1, 0, 2
        String path = action;
        return Stream.of(
                Arguments.of(
                        "warm elsewhere beats the free home",
                        holding(new int[] {0, 0, 0}, new String[] {null, null, path}, new String[3]),
                        action,
                        new Decision.Placed(2, false)),
                Arguments.of(
                        "pre-loaded digest counts as holding",
                        holding(new int[] {0, 0, 0}, new String[3], new String[] {"d", null, null}),
                        action,
                        new Decision.Placed(0, false)),
                Arguments.of(
                        "several hold it: the least busy",
                        holding(new int[] {300, 0, 100}, new String[] {path, null, path}, new String[3]),
                        action,
                        new Decision.Placed(2, false)),
                Arguments.of(
                        "the holder is full → the sharding walk",
                        holding(new int[] {0, 0, 400}, new String[] {null, null, path}, new String[3]),
                        action,
                        new Decision.Placed(1, false)),
                Arguments.of(
                        "another digest pre-loaded does not count",
                        holding(new int[] {0, 0, 0}, new String[3], new String[] {"other", null, null}),
                        action,
                        new Decision.Placed(1, false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void proactive(String label, Snapshot snapshot, String action, Decision expected) {
        assertThat(ShardingPolicy.place(snapshot, new Request(NS, action, 256, action, "d"), NOW, new Random(42)))
                .isEqualTo(expected);
    }

    @Test
    void forcedPlacementIsRandomAmongHealthyOnly() {
        Snapshot full = snapshot(1, new int[] {256, 256, 256, 256}, new int[] {256, 256, 256, 256}, new boolean[] {
            true, false, true, true
        });
        Random random = new Random(7);
        var chosen = IntStream.range(0, 200)
                .mapToObj(i -> ShardingPolicy.place(full, new Request(NS, "guest/x", 128), NOW, random))
                .map(d -> ((Decision.Placed) d).invoker())
                .distinct()
                .sorted()
                .toList();
        assertThat(chosen).containsExactly(0, 2, 3);
    }

    static Stream<Arguments> sizes() {
        return IntStream.rangeClosed(1, 8).mapToObj(n -> Arguments.of("n = " + n, n));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sizes")
    void everyStepIsCoprimeAndTheWalkVisitsEveryInvoker(String label, int n) {
        List<Integer> steps = ShardingPolicy.coprimes(n);
        assertThat(steps).isNotEmpty().allSatisfy(s -> assertThat(gcd(s, n)).isEqualTo(1));
        for (int step : steps) {
            var visited = IntStream.iterate(0, i -> (i + step) % n)
                    .limit(n)
                    .boxed()
                    .distinct()
                    .count();
            assertThat(visited).as("step %d over %d invokers", step, n).isEqualTo(n);
        }
        // The last free invoker on any walk is found.
        for (int free = 0; free < n; free++) {
            int[] memory = IntStream.range(0, n).map(i -> 512).toArray();
            int[] used = IntStream.range(0, n).map(i -> 512).toArray();
            boolean[] healthy = new boolean[n];
            java.util.Arrays.fill(healthy, true);
            used[free] = 0;
            Decision d = ShardingPolicy.place(
                    snapshot(1, memory, used, healthy), new Request(NS, "guest/z" + free, 256), NOW, new Random(1));
            assertThat(d).isEqualTo(new Decision.Placed(free, false));
        }
    }

    static Stream<Arguments> releases() {
        InFlight a = new InFlight("a", NS, 0, 256, NOW.minusMillis(1));
        InFlight b = new InFlight("b", NS, 0, 256, NOW);
        InFlight c = new InFlight("c", NS, 1, 256, NOW.plusMillis(1));
        return Stream.of(
                Arguments.of("nothing in flight", List.of(), List.of()),
                Arguments.of("deadline passed is released", List.of(a), List.of(a)),
                Arguments.of("deadline now is released", List.of(b), List.of(b)),
                Arguments.of("deadline ahead is kept", List.of(c), List.of()),
                Arguments.of("mixed", List.of(a, b, c), List.of(a, b)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releases")
    void releasesSlotsWhoseCompletionIsLost(String label, List<InFlight> inFlight, List<InFlight> expected) {
        assertThat(ShardingPolicy.expired(inFlight, NOW)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void workedExampleOfTheClassHeader() {
        Snapshot s =
                snapshot(2, new int[] {1024, 1024, 1024}, new int[] {512, 0, 256}, new boolean[] {true, true, true});
        assertThat(ShardingPolicy.coprimes(3)).containsExactly(1, 2);
        String hash7 = actionWithHash(3, 7 % 3, 7 % 2, 2);
        String hash9 = actionWithHash(3, 9 % 3, 9 % 2, 2);
        assertThat(ShardingPolicy.place(s, new Request(NS, hash7, 256), NOW, new Random(0)))
                .isEqualTo(new Decision.Placed(1, false));
        assertThat(ShardingPolicy.place(s, new Request(NS, hash9, 256), NOW, new Random(0)))
                .isEqualTo(new Decision.Placed(2, false));
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
