package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RareFirstTest {
    static Stream<Arguments> cases() {
        Duration minute = Duration.ofSeconds(60);
        return Stream.of(
                // rate per second, rare gap, rare share, expected share
                Arguments.of("a first call: rate unknown", 0.0, minute, 10.0, 10.0),
                Arguments.of("the class comment's 40 s function", 1 / 40.0, minute, 10.0, 1.0),
                Arguments.of("the class comment's 90 s function", 1 / 90.0, minute, 10.0, 10.0),
                Arguments.of("exactly one gap apart is rare", 1 / 60.0, minute, 10.0, 10.0),
                Arguments.of("a burst: many calls a second", 5.0, minute, 10.0, 1.0),
                Arguments.of("the rule off", 1 / 90.0, minute, 1.0, 1.0),
                Arguments.of("a short gap makes a periodic function rare", 1 / 18.0, Duration.ofSeconds(15), 4.0, 4.0),
                Arguments.of("a NaN rate is unknown", Double.NaN, minute, 10.0, 10.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void share(String name, double rate, Duration gap, double rareShare, double expected) {
        assertThat(RareFirst.share(rate, gap, rareShare)).isEqualTo(expected);
    }
}
