package dev.hearth.invoker.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ThreadSplitTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                // cores, this activation's share, the running shares (its own included), expected threads
                Arguments.of("alone: every core", 2, 1.0, 1.0, 2),
                Arguments.of("two of equal share on 2 cores", 2, 1.0, 2.0, 1),
                Arguments.of("three on 2 cores: never fewer than 1", 2, 1.0, 3.0, 1),
                Arguments.of("the class comment's rare call beside an ordinary one", 2, 10.0, 11.0, 2),
                Arguments.of("and the ordinary one", 2, 1.0, 11.0, 1),
                Arguments.of("8 cores, 3 equal: rounds 2.67 up", 8, 1.0, 3.0, 3),
                Arguments.of("8 cores, 5 equal: rounds 1.6 up", 8, 1.0, 5.0, 2),
                Arguments.of("8 cores, twice the share of 2 others", 8, 2.0, 4.0, 4),
                Arguments.of("one core", 1, 10.0, 10.0, 1),
                Arguments.of("a scheduler's small share alone still has every core", 4, 0.5, 0.5, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void threads(String name, int cores, double share, double running, int expected) {
        assertThat(ThreadSplit.threads(cores, share, running)).isEqualTo(expected);
    }

    @Test
    void notASplitIsRefused() {
        assertThatThrownBy(() -> ThreadSplit.threads(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThreadSplit.threads(2, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ThreadSplit.threads(2, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
