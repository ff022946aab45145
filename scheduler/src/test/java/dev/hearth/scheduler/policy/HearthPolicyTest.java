package dev.hearth.scheduler.policy;

import static dev.hearth.scheduler.policy.Fixtures.resnet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.ModelProfile;
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
                        new Decision.Target(3, 2, 1.0, 2_000)),
                Arguments.of(
                        "the same noisy load, two calls at once in some windows: the model's plan",
                        withPeaks(resnet("f", 0, 5, 35, 5, 35, 5, 35), 1, 2, 1, 2, 1, 2),
                        new Decision.Target(3, 2, 1.0, 2_000)),
                Arguments.of(
                        "the same noisy load from one client calling back to back: 1 warm",
                        withPeaks(resnet("f", 0, 5, 35, 5, 35, 5, 35), 1, 1, 1, 1, 1, 1),
                        new Decision.Target(1, 2, 1.0, 2_000)),
                Arguments.of(
                        "one client back to back near a container's capacity: 1 warm at 1 core (the model: 3 half cores)",
                        withPeaks(resnet("f", 0, 28, 28, 28, 28), 1, 1, 1, 1),
                        new Decision.Target(1, 2, 1.0, 2_000)),
                Arguments.of(
                        "the same rates from clients whose calls overlap 3 at once: the queueing model's plan",
                        withPeaks(resnet("f", 0, 28, 28, 28, 28), 1, 3, 2, 1),
                        new Decision.Target(3, 2, 0.5, 2_000)),
                Arguments.of(
                        "no calls in flight in the history's windows still keeps the model's light-load answer",
                        withPeaks(resnet("f", 0, 0, 0.1, 0, 0.05), 0, 1, 0, 1),
                        new Decision.Target(0, 1, 1.0, 2_000)));
    }

    private static FunctionState withPeaks(FunctionState f, int... peaks) {
        return new FunctionState(
                f.name(), f.profile(), f.slo(), f.rates(), peaks, f.warm(), f.preloaded(), f.cpuShare());
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
    void aFallInLoadShrinksWarmCapacityOnlyOnceItHeldForTheStableWindows() {
        double[] busy = {40, 40, 40, 40, 40, 40};
        Decision.Target steady = target(resnet("f", 0, busy));
        assertThat(steady.warm() * steady.cpuShare()).isGreaterThan(1);
        for (int quiet = 1; quiet < HearthPolicy.STABLE_WINDOWS; quiet++) {
            double[] rates = java.util.Arrays.copyOf(busy, busy.length + quiet);
            java.util.Arrays.fill(rates, busy.length, rates.length, 2);
            assertThat(target(resnet("f", 0, rates)))
                    .as("%d quiet window(s) keep the busy plan", quiet)
                    .isEqualTo(steady);
        }
        double[] held = java.util.Arrays.copyOf(busy, busy.length + HearthPolicy.STABLE_WINDOWS);
        java.util.Arrays.fill(held, busy.length, held.length, 2);
        Decision.Target after = target(resnet("f", 0, held));
        assertThat(after.warm() * after.cpuShare()).isLessThan(steady.warm() * steady.cpuShare());
    }

    @Test
    void aRiseInLoadGrowsWarmCapacityAtOnce() {
        Decision.Target quiet = target(resnet("f", 0, 2, 2, 2, 2, 2, 2));
        Decision.Target risen = target(resnet("f", 0, 2, 2, 2, 2, 2, 40));
        assertThat(risen.warm() * risen.cpuShare()).isGreaterThan(quiet.warm() * quiet.cpuShare());
        assertThat(HearthPolicy.plan(resnet("f", 0, 2, 2, 2, 2, 2, 40)))
                .isEqualTo(HearthPolicy.planNow(resnet("f", 0, 2, 2, 2, 2, 2, 40)));
    }

    /**
     * A steady load near a sizing boundary (rates of 30–39 req/s, a 30 ms service, 1 s at p99, as one client
     * calling back to back made on a live platform): the plan of each window alone flips between 3
     * containers at half a core and 2 at a whole one; stabilised, it holds at the larger.
     */
    @Test
    void aLoadNearASizingBoundaryDoesNotFlap() {
        ModelProfile profile = new ModelProfile("djl:pytorch", 30, 0.6, 163, 26, 0, 600);
        double[] rates = {30, 38, 31, 37, 33, 39, 33, 38};
        java.util.Set<HearthPolicy.Plan> alone = new java.util.HashSet<>();
        java.util.Set<HearthPolicy.Plan> stabilised = new java.util.HashSet<>();
        for (int n = HearthPolicy.STABLE_WINDOWS + 2; n <= rates.length; n++) {
            FunctionState f =
                    new FunctionState("f", profile, new Slo(1000, 0.99), java.util.Arrays.copyOf(rates, n), 0, 0, 1.0);
            alone.add(HearthPolicy.planNow(f));
            stabilised.add(HearthPolicy.plan(f));
        }
        assertThat(alone.stream().map(p -> p.warm() + "@" + p.share()).distinct())
                .containsExactlyInAnyOrder("3@0.5", "2@1.0");
        assertThat(stabilised.stream().map(p -> p.warm() + "@" + p.share()).distinct())
                .containsExactly("2@1.0");
    }

    private static Decision.Target target(FunctionState f) {
        return new HearthPolicy().decide(Fixtures.snapshot(f)).target("f");
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
