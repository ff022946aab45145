package dev.hearth.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportTest {
    static RunResult r(String policy, double violations, double cost) {
        double[] none = new double[1];
        return new RunResult("t", policy, 100, violations, 10, 20, 0, 0, 0, cost, 0, 0, none, none, none, none);
    }

    static Stream<Arguments> fronts() {
        RunResult a = r("a", 0.01, 10);
        RunResult b = r("b", 0.02, 5);
        RunResult c = r("c", 0.02, 11);
        RunResult d = r("d", 0.01, 10);
        RunResult x = r("x", 0.03, 5);
        return Stream.of(
                Arguments.of("cheaper but worse: both on the front", List.of(a, b), a, true),
                Arguments.of("worse on both: off", List.of(a, c), c, false),
                Arguments.of("a tie is not dominated", List.of(a, d), a, true),
                Arguments.of("worse violations at equal cost: off", List.of(x, b), x, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fronts")
    void paretoFront(String label, List<RunResult> all, RunResult candidate, boolean on) {
        assertThat(Report.onFront(candidate, all)).isEqualTo(on);
    }

    @org.junit.jupiter.api.Test
    void ratiosAreAgainstHearth() {
        String md = Report.ratios(List.of(r("faro-sum", 0.04, 10), r("hearth", 0.01, 8)));
        assertThat(md).contains("| t | faro-sum | 4.00 | 0.80 | yes |");
    }
}
