package dev.hearth.invoker.preload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ArrivalsTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void theRateIsArrivalsOverTheWindowOfGapsAndTheHistogramBucketsThem() {
        Arrivals a = new Arrivals();
        a.arrived("ns/f", "d", "djl:pytorch", 1024, T0);
        assertThat(a.functions(T0).getFirst().ratePerSecond())
                .as("one arrival: unknown")
                .isZero();
        for (int i = 1; i <= 4; i++) {
            a.arrived("ns/f", "d", "djl:pytorch", 1024, T0.plusSeconds(10L * i));
        }
        Arrivals.Function f = a.functions(T0.plusSeconds(40)).getFirst();
        assertThat(f.count()).isEqualTo(5);
        assertThat(f.ratePerSecond()).isCloseTo(0.1, within(1e-9));
        assertThat(a.functions(T0.plusSeconds(80)).getFirst().ratePerSecond())
                .as("40 s of silence count as an open gap")
                .isCloseTo(4 / 80.0, within(1e-9));
        assertThat(f.histogram()[4]).as("10 s gaps fall in [8, 16)").isEqualTo(4);
        assertThat(f.last()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void theRateAtTheLastArrivalLeavesTheOpenGapOut() {
        Arrivals a = new Arrivals();
        assertThat(a.rateAtLastArrival("ns/f")).as("never seen").isZero();
        a.arrived("ns/f", "d", "djl:pytorch", 1024, T0);
        assertThat(a.rateAtLastArrival("ns/f")).as("one arrival").isZero();
        a.arrived("ns/f", "d", "djl:pytorch", 1024, T0.plusSeconds(20));
        a.arrived("ns/f", "d", "djl:pytorch", 1024, T0.plusSeconds(60));
        assertThat(a.rateAtLastArrival("ns/f")).isCloseTo(2 / 60.0, within(1e-9));
        assertThat(a.functions(T0.plusSeconds(120)).getFirst().ratePerSecond())
                .as("the pre-loader's estimate counts the silence since")
                .isCloseTo(2 / 120.0, within(1e-9));
    }

    @Test
    void theWindowForgetsOldGaps() {
        Arrivals a = new Arrivals();
        Instant t = T0;
        for (int i = 0; i <= Arrivals.WINDOW; i++) {
            a.arrived("ns/f", "d", "djl:pytorch", 1024, t);
            t = t.plusSeconds(100);
        }
        for (int i = 0; i <= Arrivals.WINDOW; i++) {
            t = t.plusSeconds(1);
            a.arrived("ns/f", "d", "djl:pytorch", 1024, t);
        }
        assertThat(a.functions(t).getFirst().ratePerSecond()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void loadTimesAreKeptForKnownFunctionsOnly() {
        Arrivals a = new Arrivals();
        a.loaded("ns/unknown", 100);
        a.arrived("ns/f", "d", "djl:pytorch", 1024, T0);
        a.loaded("ns/f", 250);
        a.loaded("ns/f", 0); // a pre-loaded start reports 0: not a load time
        assertThat(a.functions(T0))
                .singleElement()
                .satisfies(f -> assertThat(f.modelLoadMs()).isEqualTo(250));
    }

    @Test
    void thePeakIsTheMostCallsInFlightOverTheLastWindowOfArrivals() {
        Arrivals a = new Arrivals();
        Instant t = T0;
        for (int i = 0; i < 3; i++) { // a burst of three, all running at once
            a.arrived("ns/f", "d", "djl:pytorch", 1024, t);
        }
        assertThat(a.functions(t).getFirst().peakConcurrency()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            a.finished("ns/f");
        }
        a.finished("ns/f"); // one too many: never below zero
        for (int i = 0; i < Arrivals.WINDOW - 1; i++) { // calls that never overlap
            t = t.plusSeconds(10);
            a.arrived("ns/f", "d", "djl:pytorch", 1024, t);
            a.finished("ns/f");
        }
        assertThat(a.functions(t).getFirst().peakConcurrency())
                .as("the burst is still among the last %d arrivals", Arrivals.WINDOW)
                .isEqualTo(3);
        a.arrived("ns/f", "d", "djl:pytorch", 1024, t.plusSeconds(10));
        assertThat(a.functions(t).getFirst().peakConcurrency()).isEqualTo(1);
    }
}
