package dev.hearth.scheduler.policy;

import static dev.hearth.scheduler.policy.Fixtures.resnet;
import static dev.hearth.scheduler.policy.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The simple baselines: fixed keep-alive, AIAD and oneshot, by their header examples. */
class BaselinePoliciesTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(
                        "openwhisk: load changes nothing, 10 min keep-alive",
                        new FixedKeepAlive(),
                        resnet("f", 2, 5),
                        new Decision.Target(0, 0, 1.0, 600_000)),
                Arguments.of(
                        "aiad: u 0.85 adds one",
                        new Aiad(),
                        resnet("f", 2, 50),
                        new Decision.Target(3, 0, 1.0, 30_000)),
                Arguments.of(
                        "aiad: u 0.17 removes one",
                        new Aiad(),
                        resnet("f", 2, 10),
                        new Decision.Target(1, 0, 1.0, 30_000)),
                Arguments.of(
                        "aiad: no load, 1 warm → 0",
                        new Aiad(),
                        resnet("f", 1, 0),
                        new Decision.Target(0, 0, 1.0, 30_000)),
                Arguments.of(
                        "aiad: load and no container → 1",
                        new Aiad(),
                        resnet("f", 0, 80),
                        new Decision.Target(1, 0, 1.0, 30_000)),
                Arguments.of(
                        "aiad: u 0.5 holds", new Aiad(), resnet("f", 2, 29.4), new Decision.Target(2, 0, 1.0, 30_000)),
                Arguments.of(
                        "oneshot: 1.7 busy cores / 0.7 → 3",
                        new Oneshot(),
                        resnet("f", 0, 50),
                        new Decision.Target(3, 0, 1.0, 30_000)),
                Arguments.of(
                        "oneshot: no load → 0",
                        new Oneshot(),
                        resnet("f", 5, 0),
                        new Decision.Target(0, 0, 1.0, 30_000)),
                Arguments.of(
                        "oneshot: looks only at the last window",
                        new Oneshot(),
                        resnet("f", 0, 100, 100, 1),
                        new Decision.Target(1, 0, 1.0, 30_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String label, Policy policy, FunctionState f, Decision.Target expected) {
        Decision d = policy.decide(snapshot(f));
        assertThat(d.target("f")).isEqualTo(expected);
        assertThat(d.prewarmedPerInvoker()).isEqualTo(Decision.PLATFORM_PREWARMED);
        assertThat(d.atMs()).isEqualTo(60_000);
        assertThat(d.policy()).isEqualTo(policy.name());
    }
}
