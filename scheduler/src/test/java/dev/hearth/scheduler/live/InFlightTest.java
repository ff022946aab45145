package dev.hearth.scheduler.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InFlightTest {
    /** Each call as {arrival ms, length ms}. */
    static Stream<Arguments> windows() {
        return Stream.of(
                Arguments.of("none", new long[][] {}, 0),
                Arguments.of("header: back to back, 2 ms apart", new long[][] {{0, 16}, {18, 16}, {36, 16}}, 1),
                Arguments.of("header: overlapping", new long[][] {{0, 16}, {5, 16}}, 2),
                Arguments.of(
                        "back to back with the next arrival stamped a millisecond before the end",
                        new long[][] {{0, 16}, {15, 16}, {30, 16}},
                        1),
                Arguments.of("reported out of order", new long[][] {{40, 10}, {0, 100}, {20, 10}, {45, 10}}, 3),
                Arguments.of("zero-length calls at one instant", new long[][] {{7, 0}, {7, 0}, {7, 0}}, 3),
                Arguments.of("zero-length calls a millisecond apart", new long[][] {{7, 0}, {8, 0}, {9, 0}}, 1),
                Arguments.of("a long call spanning short ones", new long[][] {{0, 1000}, {100, 5}, {200, 5}}, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("windows")
    void countsTheMostCallsInFlightAtOnce(String label, long[][] calls, int expected) {
        InFlight window = new InFlight();
        for (long[] c : calls) {
            window.add(c[0], c[1]);
        }
        assertThat(window.peakAndClear()).isEqualTo(expected);
        assertThat(window.peakAndClear()).as("a new window").isZero();
    }
}
