package dev.hearth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchedulerPropertiesTest {

    @Test
    void defaults() {
        SchedulerProperties p = SchedulerProperties.of("k:9092");
        assertThat(p.policy()).isEqualTo("hearth");
        assertThat(p.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.historyWindows()).isEqualTo(40);
        assertThat(p.coresPerInvoker()).isEqualTo(2.0);
        assertThat(p.group()).isEqualTo("scheduler");
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("unknown policy", "faro", null, null, "hearth.scheduler.policy must be one of"),
                Arguments.of("interval under 1 s", null, Duration.ofMillis(10), null, "hearth.scheduler.interval"),
                Arguments.of("no history", null, null, 0, "hearth.scheduler.history-windows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void refusesWithTheKeyAndTheValue(String label, String policy, Duration interval, Integer windows, String msg) {
        assertThatThrownBy(() -> new SchedulerProperties("k:9092", null, policy, interval, windows, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(msg);
    }
}
