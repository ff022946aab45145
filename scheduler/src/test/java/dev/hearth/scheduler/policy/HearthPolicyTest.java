package dev.hearth.scheduler.policy;

import static dev.hearth.scheduler.policy.Fixtures.resnet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HearthPolicyTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "header: steady 20 req/s", resnet("f", 0, 20, 20, 20, 20), new Decision.Target(1, 1, 1.0, 0)),
                Arguments.of(
                        "header: sparse → pre-loaded only",
                        resnet("f", 0, 0, 0.1, 0, 0.05),
                        new Decision.Target(0, 1, 1.0, 0)),
                Arguments.of("never called → nothing", resnet("f", 0, 0, 0, 0), new Decision.Target(0, 0, 1.0, 0)),
                Arguments.of(
                        "a ramp: the Kalman filter's buffer sizes it for ~34 req/s; 3 half cores are cheapest",
                        resnet("f", 0, 4, 8, 12, 16, 20, 24),
                        new Decision.Target(3, 3, 0.5, 0)),
                Arguments.of(
                        "a noisy load gets a buffer: 3 warm where the last window needs 2",
                        resnet("f", 0, 5, 35, 5, 35, 5, 35),
                        new Decision.Target(3, 3, 1.0, 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String label, FunctionState f, Decision.Target expected) {
        assertThat(new HearthPolicy().decide(Fixtures.snapshot(f)).target("f")).isEqualTo(expected);
    }

    @Test
    void aShortBudgetFallsBackToUtilityMaximisation() {
        Snapshot.Cluster oneCore = new Snapshot.Cluster(1, 100_000, 1);
        Decision d = new HearthPolicy()
                .decide(Fixtures.snapshot(oneCore, resnet("a", 0, 60, 60, 60), resnet("b", 0, 60, 60, 60)));
        assertThat(d.target("a").warm() + d.target("b").warm()).isEqualTo(1);
        assertThat(d.target("a").preloaded()).isEqualTo(1);
    }

    @Test
    void everyPolicyIsNamedAndPure() {
        Snapshot s = Fixtures.snapshot(resnet("f", 1, 3, 9, 27), resnet("g", 0, 0.1, 0, 0));
        for (Policy p : Policies.all()) {
            assertThat(Policies.byName(p.name()).decide(s)).isEqualTo(p.decide(s));
        }
        assertThat(Policies.names()).hasSize(7).endsWith("hearth");
    }
}
