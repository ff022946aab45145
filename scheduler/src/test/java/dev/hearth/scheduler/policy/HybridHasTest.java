package dev.hearth.scheduler.policy;

import static dev.hearth.scheduler.policy.Fixtures.resnet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HybridHasTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("header: 10 req/s → 1 core", resnet("f", 1, 10, 10, 10), 1, 1.0),
                Arguments.of("header: a burst of 30 → vertical, 2 cores", resnet("f", 1, 10, 10, 30), 1, 2.0),
                Arguments.of("header: 50 sustained → horizontal, 3 x 1 core", resnet("f", 1, 50, 50, 50), 3, 1.0),
                Arguments.of("a burst over 2 cores, not sustained → stays vertical", resnet("f", 1, 5, 5, 50), 1, 2.0),
                Arguments.of("load and no container → 1", resnet("f", 0, 0, 0, 2), 1, 0.5),
                Arguments.of("scale in one at a time", resnet("f", 4, 5, 5, 5), 3, 0.5),
                Arguments.of("3 quiet windows → 0", resnet("f", 2, 9, 0, 0, 0), 0, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String label, FunctionState f, int warm, double share) {
        Decision.Target t = new HybridHas().decide(Fixtures.snapshot(f)).target("f");
        assertThat(t.warm()).isEqualTo(warm);
        assertThat(t.cpuShare()).isEqualTo(share);
    }
}
