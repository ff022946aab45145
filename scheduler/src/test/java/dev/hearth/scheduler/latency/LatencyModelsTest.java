package dev.hearth.scheduler.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LatencyModelsTest {

    static Stream<Arguments> erlang() {
        return Stream.of(
                Arguments.of("header: one server at 80%", 1, 8.0, 10.0, 0.8, 2.191),
                Arguments.of("header: two servers", 2, 8.0, 10.0, 0.2286, 0.2608),
                Arguments.of("no load never waits", 3, 0.0, 10.0, 0.0, 0.0),
                Arguments.of("unstable always waits, forever", 2, 25.0, 10.0, 1.0, Double.POSITIVE_INFINITY),
                Arguments.of("light load: p99 wait is zero", 4, 1.0, 10.0, 0.0000155, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("erlang")
    void erlangC(String label, int c, double lambda, double mu, double pWait, double p99Wait) {
        assertThat(ErlangC.probabilityOfWait(c, lambda, mu)).isCloseTo(pWait, within(1e-4));
        double w = ErlangC.waitPercentile(c, lambda, mu, 0.99);
        if (Double.isInfinite(p99Wait)) {
            assertThat(w).isInfinite();
        } else {
            assertThat(w).isCloseTo(p99Wait, within(1e-3));
        }
    }

    static Stream<Arguments> latency() {
        return Stream.of(
                Arguments.of("header: one replica", 1, 8.0, 100.0, 500.0, 2291.0, 0.6405),
                Arguments.of("header: two replicas", 2, 8.0, 100.0, 500.0, 360.8, 0.9981),
                Arguments.of("service alone breaks the SLO", 5, 1.0, 600.0, 500.0, 600.0, 0.0),
                Arguments.of("no load attains fully", 0, 0.0, 100.0, 500.0, 100.0, 1.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("latency")
    void latencyModel(String label, int c, double lambda, double s, double slo, double p99, double attainment) {
        assertThat(LatencyModel.percentileMs(c, lambda, s, 0.99)).isCloseTo(p99, within(1.0));
        assertThat(LatencyModel.attainment(c, lambda, s, slo)).isCloseTo(attainment, within(1e-3));
    }

    static Stream<Arguments> replicas() {
        return Stream.of(
                Arguments.of("header: 8/s at 100 ms within 500 ms", 8.0, 100.0, 500.0, 2),
                Arguments.of("no load needs none", 0.0, 100.0, 500.0, 0),
                Arguments.of("ResNet-18 at 30/s, 34 ms, 500 ms p99", 30.0, 34.0, 500.0, 2),
                Arguments.of("more than the cap answers cap + 1", 1000.0, 100.0, 500.0, 11),
                Arguments.of("service over the SLO answers cap + 1", 1.0, 600.0, 500.0, 11));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replicas")
    void minReplicas(String label, double lambda, double s, double slo, int expected) {
        assertThat(LatencyModel.minReplicas(lambda, s, slo, 0.99, 10)).isEqualTo(expected);
    }

    static Stream<Arguments> service() {
        return Stream.of(
                Arguments.of("half a core throttles", 34.0, 0.6, 0.5, 68.0),
                Arguments.of("one core", 34.0, 0.6, 1.0, 34.0),
                Arguments.of("two cores: Amdahl", 34.0, 0.6, 2.0, 23.8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("service")
    void cpuServiceTime(String label, double s1, double f, double cores, double expected) {
        assertThat(ServiceTime.cpuMs(s1, f, cores)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void gpuServiceTimeHeaderExample() {
        assertThat(ServiceTime.gpuMs(8, 0.5, 0.25, 0.5)).isCloseTo(32, within(1e-9));
        assertThat(ServiceTime.gpuMs(8, 0.5, 1, 1)).isCloseTo(8, within(1e-9));
        assertThatThrownBy(() -> ServiceTime.gpuMs(8, 0.5, 0, 1)).hasMessageContaining("SM share");
    }

    static Stream<Arguments> starts() {
        return Stream.of(
                Arguments.of("ResNet-18 cold, private load", StartKind.COLD, false, 949.0),
                Arguments.of("ResNet-18 pre-warmed, private load", StartKind.PREWARMED, false, 179.0),
                Arguments.of("ResNet-18 pre-loaded", StartKind.PRELOADED, false, 26.0),
                Arguments.of("ResNet-18 warm", StartKind.WARM, false, 0.0),
                Arguments.of("ResNet-18 cold via tensor store", StartKind.COLD, true, 1698.8),
                Arguments.of("ResNet-18 pre-warmed via tensor store", StartKind.PREWARMED, true, 928.8),
                Arguments.of("ResNet-18 pre-loaded via tensor store", StartKind.PRELOADED, true, 26.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("starts")
    void coldStartCostPerKind(String label, StartKind kind, boolean store, double ms) {
        assertThat(Measured.RESNET18.startMs(kind, store)).isCloseTo(ms, within(0.1));
    }

    @Test
    void measuredColdStartFallsInTheMeasuredRange() {
        assertThat(Measured.RESNET18.startMs(StartKind.COLD, false)).isBetween(650.0, 1130.0);
        assertThat(Measured.MLP.startMs(StartKind.COLD, false)).isBetween(480.0 - 100, 510.0 + 300);
    }
}
