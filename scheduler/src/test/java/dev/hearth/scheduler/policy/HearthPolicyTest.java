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
                        "header: steady 20 req/s",
                        resnet("f", 0, 20, 20, 20, 20),
                        new Decision.Target(1, 1, 1.0, 2_000)),
                Arguments.of(
                        "header: sparse → pre-loaded only",
                        resnet("f", 0, 0, 0.1, 0, 0.05),
                        new Decision.Target(0, 1, 1.0, 2_000)),
                Arguments.of("never called → nothing", resnet("f", 0, 0, 0, 0), new Decision.Target(0, 0, 1.0, 2_000)),
                Arguments.of(
                        "a ramp: the Kalman filter's buffer sizes it for ~34 req/s; 3 half cores are cheapest",
                        resnet("f", 0, 4, 8, 12, 16, 20, 24),
                        new Decision.Target(3, 3, 0.5, 2_000)),
                Arguments.of(
                        "a noisy load gets a buffer: 3 warm where the last window needs 2",
                        resnet("f", 0, 5, 35, 5, 35, 5, 35),
                        new Decision.Target(3, 2, 1.0, 2_000)));
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
        assertThat(d.target("a").preloaded()).isPositive();
        assertThat(d.target("b").preloaded()).isPositive();
    }

    @Test
    void preloadsGoToTheBusiestFunctionsFirstWithinHalfTheMemory() {
        // 1700 MB: 700 for the two stem cells, half of the remaining 1000 for containers: one 410 MB pre-load
        Snapshot.Cluster small = new Snapshot.Cluster(1, 1700, 4);
        Decision d = new HearthPolicy()
                .decide(Fixtures.snapshot(
                        small, resnet("quiet", 0, 0.2, 0.2, 0.2), resnet("busier", 0, 0.5, 0.5, 0.5)));
        assertThat(d.target("busier").preloaded()).isEqualTo(1);
        assertThat(d.target("quiet").preloaded()).isZero();
    }

    @Test
    void aRecentPeakIsCoveredByPreloadedContainers() {
        double[] calmRates = new double[16];
        java.util.Arrays.fill(calmRates, 2);
        double[] peakRates = calmRates.clone();
        peakRates[0] = 80;
        Decision.Target calm = new HearthPolicy()
                .decide(Fixtures.snapshot(resnet("f", 0, calmRates)))
                .target("f");
        Decision.Target afterBurst = new HearthPolicy()
                .decide(Fixtures.snapshot(resnet("f", 0, peakRates)))
                .target("f");
        assertThat(calm).isEqualTo(new Decision.Target(0, 1, 1.0, 2_000));
        assertThat(afterBurst.preloaded()).isEqualTo(3);
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
