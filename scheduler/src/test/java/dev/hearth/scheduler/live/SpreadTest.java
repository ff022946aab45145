package dev.hearth.scheduler.live;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.SchedulingDecision.FunctionTarget;
import dev.hearth.scheduler.policy.Decision;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpreadTest {
    static Stream<Arguments> splits() {
        return Stream.of(
                Arguments.of("header: 4 over 3 from 1", 4, 3, 1, new int[] {1, 2, 1}),
                Arguments.of("header: 1 over 3 from 1", 1, 3, 1, new int[] {0, 1, 0}),
                Arguments.of("none", 0, 2, 0, new int[] {0, 0}),
                Arguments.of("wraps", 3, 2, 1, new int[] {1, 2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void splitsRoundRobinFromHome(String label, int total, int n, int first, int[] expected) {
        assertThat(Spread.split(total, n, first)).containsExactly(expected);
    }

    @org.junit.jupiter.api.Test
    void spreadsTargetsOverHealthyInvokersAndLeavesOutEmptyOnes() {
        String action = "guest/resnet";
        int home = Spread.home(action, 3);
        List<FunctionTarget> out =
                Spread.spread(Map.of(action, new Decision.Target(4, 1, 0.5, 2_000)), List.of(10, 11, 12));
        assertThat(out).hasSize(3);
        assertThat(out.stream().mapToInt(FunctionTarget::warm).sum()).isEqualTo(4);
        FunctionTarget atHome =
                out.stream().filter(t -> t.invoker() == 10 + home).findFirst().orElseThrow();
        assertThat(atHome.warm()).isEqualTo(2);
        assertThat(atHome.preloaded()).isEqualTo(1);
        assertThat(atHome.cpuShare()).isEqualTo(0.5);
        assertThat(Spread.spread(Map.of(action, new Decision.Target(0, 0, 1, 0)), List.of(1)))
                .isEmpty();
        assertThat(Spread.spread(Map.of(action, new Decision.Target(2, 0, 1, 0)), List.of()))
                .isEmpty();
    }
}
