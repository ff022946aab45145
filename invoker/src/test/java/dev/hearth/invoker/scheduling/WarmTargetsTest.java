package dev.hearth.invoker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.SchedulingDecision;
import dev.hearth.common.message.SchedulingDecision.FunctionTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WarmTargetsTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    /** The class header's worked example. */
    static final SchedulingDecision EXAMPLE = new SchedulingDecision(
            1,
            "tx",
            "hearth",
            T0.toEpochMilli(),
            30_000,
            List.of(),
            List.of(
                    new FunctionTarget("guest/r", 0, 3, 0, 1.0, 60_000),
                    new FunctionTarget("guest/s", 0, 2, 0, 1.0, 60_000),
                    new FunctionTarget("guest/new", 0, 1, 0, 1.0, 60_000),
                    new FunctionTarget("guest/r", 1, 5, 0, 1.0, 60_000),
                    new FunctionTarget("guest/z", 0, 0, 1, 1.0, 60_000)));

    static final Set<String> KNOWN = Set.of("guest/r", "guest/s", "guest/z");
    static final Map<String, Integer> HELD = Map.of("guest/r", 1, "guest/s", 3);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "example at 10:00:30: start two guest/r, protect r=3 s=2, ignore guest/new",
                        EXAMPLE,
                        T0.plusSeconds(30),
                        HELD,
                        KNOWN,
                        new WarmTargets.Plan(Map.of("guest/r", 2), Map.of("guest/r", 3, "guest/s", 2))),
                Arguments.of(
                        "example at 10:01:31: stale, nothing started or protected",
                        EXAMPLE,
                        T0.plusSeconds(91),
                        HELD,
                        KNOWN,
                        new WarmTargets.Plan(Map.of(), Map.of())),
                Arguments.of("no decision: nothing", null, T0, HELD, KNOWN, new WarmTargets.Plan(Map.of(), Map.of())),
                Arguments.of(
                        "never ran anything: every target ignored",
                        EXAMPLE,
                        T0,
                        Map.of(),
                        Set.of(),
                        new WarmTargets.Plan(Map.of(), Map.of())),
                Arguments.of(
                        "nothing held yet: start the whole target",
                        EXAMPLE,
                        T0,
                        Map.of(),
                        KNOWN,
                        new WarmTargets.Plan(Map.of("guest/r", 3, "guest/s", 2), Map.of("guest/r", 3, "guest/s", 2))),
                Arguments.of(
                        "target met exactly: protect, start nothing",
                        EXAMPLE,
                        T0,
                        Map.of("guest/r", 3, "guest/s", 2),
                        KNOWN,
                        new WarmTargets.Plan(Map.of(), Map.of("guest/r", 3, "guest/s", 2))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plan(
            String label,
            SchedulingDecision last,
            Instant now,
            Map<String, Integer> held,
            Set<String> known,
            WarmTargets.Plan expected) {
        assertThat(WarmTargets.plan(WarmTargets.targets(last, 0, now), held, known))
                .isEqualTo(expected);
    }

    static final SchedulingDecision SHARES = new SchedulingDecision(
            1,
            "tx",
            "hearth",
            T0.toEpochMilli(),
            30_000,
            List.of(),
            List.of(
                    new FunctionTarget("guest/r", 0, 3, 0, 0.5, 60_000),
                    new FunctionTarget("guest/s", 0, 2, 0, 2.0, 60_000),
                    new FunctionTarget("guest/r", 1, 5, 0, 1.0, 60_000),
                    new FunctionTarget("guest/z", 0, 0, 1, 0.5, 60_000)));

    static Stream<Arguments> shares() {
        return Stream.of(
                Arguments.of(
                        "header: this invoker's warm targets' shares, none for a pre-load-only action",
                        SHARES,
                        T0.plusSeconds(30),
                        Map.of("guest/r", 0.5, "guest/s", 2.0)),
                Arguments.of(
                        "header: stale at 10:01:31, every container back to 1.0", SHARES, T0.plusSeconds(91), Map.of()),
                Arguments.of("no decision", null, T0, Map.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void shares(String label, SchedulingDecision last, Instant now, Map<String, Double> expected) {
        assertThat(WarmTargets.cpuShares(last, 0, now)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void keepAliveComesFromAFreshDecisionOnly() {
        assertThat(WarmTargets.keepAlive(EXAMPLE, 0, T0.plusSeconds(30)))
                .isEqualTo(Map.of(
                        "guest/r", java.time.Duration.ofMinutes(1),
                        "guest/s", java.time.Duration.ofMinutes(1),
                        "guest/new", java.time.Duration.ofMinutes(1),
                        "guest/z", java.time.Duration.ofMinutes(1)));
        assertThat(WarmTargets.keepAlive(EXAMPLE, 0, T0.plusSeconds(91))).isEmpty();
    }
}
