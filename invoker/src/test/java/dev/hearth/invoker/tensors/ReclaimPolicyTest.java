package dev.hearth.invoker.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.tensors.TensorUsage.Tensor;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReclaimPolicyTest {
    static final long MB = 1 << 20;
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final Duration GRACE = Duration.ofMinutes(10);

    static Instant at(int minute) {
        return T0.plus(Duration.ofMinutes(minute));
    }

    static Tensor idle(String sha, int mb, int idleSinceMinute) {
        return new Tensor(sha, mb * MB, 0, at(idleSinceMinute));
    }

    static Tensor used(String sha, int mb, int references) {
        return new Tensor(sha, mb * MB, references, null);
    }

    static TensorUsage usage(Instant protectFrom, Tensor... tensors) {
        Map<String, Tensor> map = new HashMap<>();
        for (Tensor t : tensors) {
            map.put(t.sha256(), t);
        }
        return new TensorUsage(map, Map.of(), protectFrom);
    }

    /** The class header's worked example, at 10:30. */
    static TensorUsage example(Instant protectFrom) {
        return usage(protectFrom, idle("a", 40, 0), idle("b", 30, 25), idle("c", 50, 28), used("d", 100, 1));
    }

    static Stream<Arguments> choose() {
        return Stream.of(
                Arguments.of("example: no pressure → a only", example(null), 0, Set.of(), List.of("a")),
                Arguments.of("example: 60 MB needed → a, b", example(null), 60, Set.of(), List.of("a", "b")),
                Arguments.of(
                        "example: 500 MB needed → every candidate, d is referenced",
                        example(null),
                        500,
                        Set.of(),
                        List.of("a", "b", "c")),
                Arguments.of(
                        "example: an init in flight since 10:27 protects c",
                        example(at(27)),
                        500,
                        Set.of(),
                        List.of("a", "b")),
                Arguments.of(
                        "kept tensors (the request's own) are never chosen",
                        example(null),
                        500,
                        Set.of("a", "c"),
                        List.of("b")),
                Arguments.of("exactly the grace → goes", usage(null, idle("x", 1, 20)), 0, Set.of(), List.of("x")),
                Arguments.of(
                        "just inside the grace, no pressure → stays",
                        usage(null, idle("x", 1, 21)),
                        0,
                        Set.of(),
                        List.of()),
                Arguments.of(
                        "same idle time: the larger goes first under pressure",
                        usage(null, idle("s", 10, 29), idle("l", 20, 29)),
                        15,
                        Set.of(),
                        List.of("l")),
                Arguments.of(
                        "referenced tensors never go, however old",
                        usage(null, used("d", 100, 3)),
                        1000,
                        Set.of(),
                        List.of()),
                Arguments.of("an empty store", usage(null), 100, Set.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void choose(String label, TensorUsage usage, int neededMb, Set<String> keep, List<String> expected) {
        assertThat(ReclaimPolicy.choose(usage, at(30), GRACE, neededMb * MB, keep))
                .isEqualTo(expected);
    }
}
