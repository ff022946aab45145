package dev.hearth.scheduler.policy;

import static dev.hearth.scheduler.policy.Fixtures.flat;
import static dev.hearth.scheduler.policy.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FaroTest {
    private static final Snapshot.Cluster THREE_CORES = new Snapshot.Cluster(1, 100_000, 3);
    private static final Snapshot.Cluster TWO_CORES = new Snapshot.Cluster(1, 100_000, 2);

    static UtilityAllocator.Demand demand(String name, double lambda, int min) {
        return new UtilityAllocator.Demand(name, lambda, 100, Fixtures.SLO_500, 1.0, 50, min);
    }

    static Stream<Arguments> allocations() {
        return Stream.of(
                Arguments.of(
                        "header: 3 cores, sum",
                        List.of(demand("a", 8, 1), demand("b", 1, 1)),
                        3.0,
                        UtilityAllocator.Objective.SUM,
                        Map.of("a", 2, "b", 1)),
                Arguments.of(
                        "header: 2 cores, the floors",
                        List.of(demand("a", 8, 1), demand("b", 1, 1)),
                        2.0,
                        UtilityAllocator.Objective.SUM,
                        Map.of("a", 1, "b", 1)),
                Arguments.of(
                        "a floor rises to stability",
                        List.of(demand("a", 25, 1)),
                        10.0,
                        UtilityAllocator.Objective.SUM,
                        Map.of("a", 4)),
                Arguments.of(
                        "short budget: the busiest gets its floor first",
                        List.of(demand("a", 25, 1), demand("b", 1, 1)),
                        3.0,
                        UtilityAllocator.Objective.SUM,
                        Map.of("a", 3, "b", 0)),
                Arguments.of(
                        "fair lifts the worst off; sum the biggest gain",
                        List.of(demand("a", 15, 0), demand("b", 15, 0)),
                        4.0,
                        UtilityAllocator.Objective.FAIR,
                        Map.of("a", 2, "b", 2)),
                Arguments.of(
                        "no load, no floor: nothing",
                        List.of(demand("a", 0, 0)),
                        4.0,
                        UtilityAllocator.Objective.SUM,
                        Map.of("a", 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allocations")
    void allocates(
            String label,
            List<UtilityAllocator.Demand> demands,
            double cores,
            UtilityAllocator.Objective objective,
            Map<String, Integer> expected) {
        assertThat(UtilityAllocator.allocate(demands, cores, 1e9, objective)).isEqualTo(expected);
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of("faro-sum header, 3 cores", Faro.sum(), THREE_CORES, Map.of("a", 2, "b", 1)),
                Arguments.of("faro-sum header, 2 cores", Faro.sum(), TWO_CORES, Map.of("a", 1, "b", 1)),
                Arguments.of("faro-fair, 3 cores", Faro.fair(), THREE_CORES, Map.of("a", 2, "b", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void decides(String label, Faro faro, Snapshot.Cluster cluster, Map<String, Integer> warm) {
        Decision d = faro.decide(snapshot(cluster, flat("a", 0, 8, 8, 8, 8), flat("b", 0, 1, 1, 1, 1)));
        warm.forEach((name, c) -> assertThat(d.target(name).warm()).as(name).isEqualTo(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void anInactiveFunctionGetsNothing(String label, Faro faro, Snapshot.Cluster cluster, Map<String, Integer> warm) {
        Decision d = faro.decide(snapshot(cluster, flat("idle", 3, 0, 0, 0)));
        assertThat(d.target("idle").warm()).isZero();
    }
}
