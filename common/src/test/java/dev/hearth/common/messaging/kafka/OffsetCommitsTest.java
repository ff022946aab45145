package dev.hearth.common.messaging.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetCommitsTest {
    private static final Duration POLL = Duration.ofSeconds(5);

    /**
     * Each step: at {@code ms} since the start, either a poll that returned messages ("consumed"), or
     * the start of a poll ("poll": commit if due, then the bound it may block for). The row lists the
     * times commits were sent.
     */
    static Stream<Arguments> timelines() {
        return Stream.of(
                Arguments.of(
                        "nothing consumed: never a commit, polls block as long as asked",
                        List.of("0 poll=5000", "5000 poll=5000", "10000 poll=5000"),
                        List.of()),
                Arguments.of(
                        "first batch after a quiet start: committed at the next poll",
                        List.of("0 consumed", "1 poll=5000"),
                        List.of(1L)),
                Arguments.of(
                        "a second batch within the interval waits, and the poll is cut to when it is due",
                        List.of("0 consumed", "1 poll=5000", "300 consumed", "301 poll=700", "1001 poll=5000"),
                        List.of(1L, 1001L)),
                Arguments.of(
                        "a batch after a quiet spell longer than the interval: at once",
                        List.of("0 consumed", "1 poll=5000", "5001 consumed", "5002 poll=5000"),
                        List.of(1L, 5002L)),
                Arguments.of(
                        "a poll that starts late commits what waited and then blocks as asked",
                        List.of("0 consumed", "1 poll=5000", "500 consumed", "2000 poll=5000"),
                        List.of(1L, 2000L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timelines")
    void commitsWhatWasConsumedAtMostOncePerInterval(String name, List<String> steps, List<Long> expectedCommits) {
        long[] nowMs = {0};
        List<Long> commits = new ArrayList<>();
        OffsetCommits policy = new OffsetCommits(() -> commits.add(nowMs[0]), () -> nowMs[0] * 1_000_000L);
        for (String step : steps) {
            String[] parts = step.split(" ");
            nowMs[0] = Long.parseLong(parts[0]);
            if (parts[1].equals("consumed")) {
                policy.consumed();
            } else {
                policy.commitIfDue();
                long bound = Long.parseLong(parts[1].substring("poll=".length()));
                assertThat(policy.bound(POLL)).as("bound at %d ms", nowMs[0]).isEqualTo(Duration.ofMillis(bound));
            }
        }
        assertThat(commits).isEqualTo(expectedCommits);
    }
}
