package dev.hearth.scheduler.forecast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ForecastersTest {

    static Stream<Arguments> workedExamples() {
        return Stream.of(
                Arguments.of(
                        Named.of("EWMA header example", (Supplier<Forecaster>) () -> new Ewma(0.5, 2, 1)),
                        new double[] {10, 20},
                        15.0,
                        10.0),
                Arguments.of(
                        Named.of("Holt header example", (Supplier<Forecaster>) () -> new Holt(0.5, 0.5, 2, 1)),
                        new double[] {10, 20, 30},
                        29.375,
                        12.5),
                Arguments.of(
                        Named.of("Kalman header example", (Supplier<Forecaster>) () -> new Kalman(1, 1, 2, 1)),
                        new double[] {10, 20},
                        26.667,
                        10.0),
                Arguments.of(
                        Named.of("EWMA floors at zero", (Supplier<Forecaster>) () -> new Ewma(0.5, 2, 1)),
                        new double[] {0, 0, 0},
                        0.0,
                        0.0),
                Arguments.of(
                        Named.of("Holt never forecasts below zero after a fall", (Supplier<Forecaster>)
                                () -> new Holt(0.9, 0.9, 2, 1)),
                        new double[] {100, 50, 0},
                        0.0,
                        14.5));
    }

    @ParameterizedTest
    @MethodSource("workedExamples")
    void forecastsAndScoresOutOfSample(
            Supplier<Forecaster> make, double[] series, double forecast, double lastAbsError) {
        Forecaster f = make.get();
        for (double v : series) {
            f.observe(v);
        }
        assertThat(f.forecast()).isCloseTo(forecast, within(0.01));
        assertThat(f.errors().mae()).isCloseTo(lastAbsError, within(0.01));
        assertThat(f.upper()).isGreaterThanOrEqualTo(f.forecast());
    }

    static Stream<Arguments> selections() {
        return Stream.of(
                Arguments.of(
                        "header: a short ramp goes to Kalman", new double[] {0, 10, 20, 30, 40}, "kalman", 39.1, 39.2),
                Arguments.of(
                        "header: a longer ramp goes to Holt",
                        new double[] {0, 10, 20, 30, 40, 50, 60},
                        "holt",
                        65.0,
                        75.0),
                Arguments.of("a flat series goes to EWMA (tie)", new double[] {5, 5, 5, 5}, "ewma", 5.0, 5.0),
                Arguments.of("too short a history goes to EWMA", new double[] {1, 9}, "ewma", 5.0, 5.0),
                Arguments.of("no history forecasts zero", new double[] {}, "ewma", 0.0, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("selections")
    void selectorPicksTheLowestRecentError(String label, double[] history, String model, double lo, double hi) {
        ForecastSelector.Forecast f = ForecastSelector.select(history);
        assertThat(f.model()).isEqualTo(model);
        assertThat(f.mean()).isBetween(lo, hi);
        assertThat(f.upper()).isGreaterThanOrEqualTo(f.mean());
    }

    @Test
    void upperBoundWidensWithNoise() {
        ForecastSelector.Forecast calm = ForecastSelector.select(new double[] {10, 10, 10, 10, 10, 10});
        ForecastSelector.Forecast noisy = ForecastSelector.select(new double[] {2, 18, 3, 17, 2, 18});
        assertThat(noisy.upper() - noisy.mean()).isGreaterThan(calm.upper() - calm.mean() + 5);
    }
}
