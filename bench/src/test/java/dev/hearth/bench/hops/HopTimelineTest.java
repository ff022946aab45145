package dev.hearth.bench.hops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import org.junit.jupiter.api.Test;

class HopTimelineTest {
    private static final String PATH = "/api/v1/namespaces/_/actions/resnet18";

    @Test
    void splitsACallIntoItsHopsAndTakesOuterRunsAsTheContainerAlone() {
        Exchange gateway = new Exchange(3233, "POST " + PATH + "?blocking=true HTTP/1.1", 0.000, 0.001, 0.098, 0.100);
        Exchange controller =
                new Exchange(3234, "POST " + PATH + "?blocking=true HTTP/1.1", 0.003, 0.006, 0.090, 0.091);
        Exchange run = new Exchange(40_001, "POST /run HTTP/1.1", 0.010, 0.011, 0.080, 0.082);
        Exchange alone = new Exchange(40_002, "POST /run HTTP/1.1", 0.200, 0.201, 0.261, 0.262);
        Exchange otherCall = new Exchange(3233, "GET /api/v1/namespaces/_/activations HTTP/1.1", 0.3, 0.3, 0.4, 0.4);

        HopTimeline.Result r = HopTimeline.of(List.of(gateway, controller, run, alone, otherCall), PATH);

        double[] expected = {1, 2, 3, 4, 1, 69, 2, 8, 1, 7, 2, 100, 31};
        for (int i = 0; i < expected.length; i++) {
            assertThat(r.hearth().get(HopTimeline.HOPS.get(i)))
                    .as(HopTimeline.HOPS.get(i))
                    .containsExactly(new double[] {expected[i]}, offset(1e-9));
        }
        assertThat(r.alone().get(HopTimeline.ALONE.get(0))).containsExactly(new double[] {60}, offset(1e-9));
        assertThat(r.alone().get(HopTimeline.ALONE.get(1))).containsExactly(new double[] {62}, offset(1e-9));
        assertThat(r.unmatched()).isZero();
    }

    @Test
    void aCallWithoutExactlyOneControllerRequestAndOneRunIsCountedAsUnmatched() {
        Exchange gateway = new Exchange(3233, "POST " + PATH + "?blocking=true HTTP/1.1", 0.0, 0.0, 0.05, 0.05);
        Exchange controller = new Exchange(3234, "POST " + PATH + "?blocking=true HTTP/1.1", 0.01, 0.01, 0.04, 0.04);

        HopTimeline.Result r = HopTimeline.of(List.of(gateway, controller), PATH);

        assertThat(r.unmatched()).isEqualTo(1);
        assertThat(r.hearth().get(HopTimeline.HOPS.get(0))).isEmpty();
    }
}
