package dev.hearth.invoker.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.SchedulingDecision;
import dev.hearth.common.message.SchedulingDecision.FunctionTarget;
import dev.hearth.common.message.SchedulingDecision.Prewarm;
import dev.hearth.invoker.pool.PrewarmTarget;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionApplierTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final List<PrewarmTarget> CONFIGURED = List.of(new PrewarmTarget("djl:pytorch", 1024, 1));

    static SchedulingDecision decision(List<Prewarm> prewarm, List<FunctionTarget> functions) {
        return new SchedulingDecision(1, "tx", "hearth", T0.toEpochMilli(), 30_000, prewarm, functions);
    }

    /** The class header's worked example. */
    static final SchedulingDecision EXAMPLE = decision(
            List.of(new Prewarm(0, "djl:pytorch", 0, 3)),
            List.of(
                    new FunctionTarget("guest/r", 0, 1, 2, 1.0, 60_000),
                    new FunctionTarget("guest/x", 1, 1, 1, 1.0, 0)));

    static Stream<Arguments> apply() {
        return Stream.of(
                Arguments.of(
                        "example at 10:00:30: three stem cells of the configured size, guest/r requested",
                        EXAMPLE,
                        T0.plusSeconds(30),
                        new DecisionApplier.Applied(
                                List.of(new PrewarmTarget("djl:pytorch", 1024, 3)), Set.of("guest/r"), false)),
                Arguments.of(
                        "example at 10:01:31: stale, back to the configured stem cell",
                        EXAMPLE,
                        T0.plusSeconds(91),
                        new DecisionApplier.Applied(CONFIGURED, Set.of(), true)),
                Arguments.of(
                        "exactly three intervals old: still in force",
                        EXAMPLE,
                        T0.plusSeconds(90),
                        new DecisionApplier.Applied(
                                List.of(new PrewarmTarget("djl:pytorch", 1024, 3)), Set.of("guest/r"), false)),
                Arguments.of(
                        "no decision yet: configured",
                        null,
                        T0,
                        new DecisionApplier.Applied(CONFIGURED, Set.of(), true)),
                Arguments.of(
                        "a decision with no stem cells for this invoker means none",
                        decision(List.of(new Prewarm(1, "java", 256, 2)), List.of()),
                        T0,
                        new DecisionApplier.Applied(List.of(), Set.of(), false)),
                Arguments.of(
                        "an unconfigured kind with memory 0 gets the kind's default size",
                        decision(List.of(new Prewarm(0, "java", 0, 1)), List.of()),
                        T0,
                        new DecisionApplier.Applied(List.of(new PrewarmTarget("java", 256, 1)), Set.of(), false)),
                Arguments.of(
                        "an explicit memory wins; a count of 0 is no target",
                        decision(
                                List.of(new Prewarm(0, "djl:pytorch", 2048, 1), new Prewarm(0, "java", 256, 0)),
                                List.of()),
                        T0,
                        new DecisionApplier.Applied(
                                List.of(new PrewarmTarget("djl:pytorch", 2048, 1)), Set.of(), false)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void apply(String label, SchedulingDecision last, Instant now, DecisionApplier.Applied expected) {
        assertThat(DecisionApplier.apply(last, 0, CONFIGURED, now)).isEqualTo(expected);
    }
}
