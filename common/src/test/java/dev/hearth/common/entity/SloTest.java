package dev.hearth.common.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SloTest {
    static Stream<Arguments> annotations() {
        return Stream.of(
                Arguments.of("the issue's example", "{\"latencyMs\":500,\"percentile\":99}", new Slo(500, 0.99)),
                Arguments.of("spaces and p99.9", "{ \"percentile\": 99.9, \"latencyMs\": 250 }", new Slo(250, 0.999)),
                Arguments.of("percentile defaults to 99", "{\"latencyMs\":800}", new Slo(800, 0.99)),
                Arguments.of("no annotation: the default class", null, Slo.DEFAULT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annotations")
    void parses(String label, String json, Slo expected) {
        Slo slo = Slo.parse(json);
        assertThat(slo.latencyMs()).isEqualTo(expected.latencyMs());
        assertThat(slo.percentile()).isCloseTo(expected.percentile(), org.assertj.core.api.Assertions.within(1e-12));
    }

    @org.junit.jupiter.api.Test
    void readsTheSloAnnotationAmongOthers() {
        java.util.List<KeyValue> annotations = java.util.List.of(
                new KeyValue("description", dev.hearth.common.json.Json.tree("\"x\"")),
                new KeyValue("slo", dev.hearth.common.json.Json.tree("{\"latencyMs\":300}")));
        assertThat(Slo.fromAnnotations(annotations)).isEqualTo(new Slo(300, 0.99));
        assertThat(Slo.fromAnnotations(annotations.subList(0, 1))).isEqualTo(Slo.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void refusesWithAMessageThatNamesTheField(String label, String json, String message) {
        assertThatThrownBy(() -> Slo.parse(json)).hasMessageContaining(message);
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("no latency", "{\"percentile\":99}", "latencyMs"),
                Arguments.of("percentile of 100", "{\"latencyMs\":5,\"percentile\":100}", "percentile"),
                Arguments.of("zero latency", "{\"latencyMs\":0}", "latencyMs"),
                Arguments.of("latency as text", "{\"latencyMs\":\"500\"}", "numeric latencyMs"),
                Arguments.of("not an object", "500", "must be an object"),
                Arguments.of("not JSON", "{latencyMs:", "not JSON"),
                Arguments.of("percentile as text", "{\"latencyMs\":5,\"percentile\":\"p99\"}", "percentile"));
    }
}
