package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class GatewayPropertiesTest {

    private static GatewayProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate(GatewayProperties.PREFIX, GatewayProperties.class);
    }

    @Test
    void defaults() {
        GatewayProperties p = bind(Map.of());

        assertThat(p.controllers()).containsExactly(URI.create("http://127.0.0.1:3234"));
        assertThat(p.responseTimeout()).isEqualTo(Duration.ofSeconds(75));
        assertThat(p.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(p.circuitBreaker())
                .isEqualTo(new GatewayProperties.CircuitBreaker(50, 20, 10, Duration.ofSeconds(10), 3));
    }

    @Test
    void overrides() {
        GatewayProperties p = bind(Map.of(
                "hearth.gateway.controllers", "http://c1:3234,https://c2:443/base",
                "hearth.gateway.response-timeout", "90s",
                "hearth.gateway.circuit-breaker.failure-rate-threshold", "25",
                "hearth.gateway.circuit-breaker.wait-in-open-state", "500ms"));

        assertThat(p.controllers()).containsExactly(URI.create("http://c1:3234"), URI.create("https://c2:443/base"));
        assertThat(p.responseTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(p.circuitBreaker().failureRateThreshold()).isEqualTo(25f);
        assertThat(p.circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofMillis(500));
        assertThat(p.circuitBreaker().slidingWindowSize()).isEqualTo(20);
    }

    /** label, key, bad value, the key and the value as the message must name them. */
    static Stream<Arguments> invalid() {
        String cb = "hearth.gateway.circuit-breaker.";
        return Stream.of(
                Arguments.of(
                        "no scheme",
                        "hearth.gateway.controllers",
                        "localhost:3234",
                        "hearth.gateway.controllers[0]",
                        "'localhost:3234'"),
                Arguments.of(
                        "ftp",
                        "hearth.gateway.controllers",
                        "http://ok:1,ftp://c:21",
                        "hearth.gateway.controllers[1]",
                        "'ftp://c:21'"),
                Arguments.of(
                        "query",
                        "hearth.gateway.controllers",
                        "http://c:1/?x=1",
                        "hearth.gateway.controllers[0]",
                        "'http://c:1/?x=1'"),
                Arguments.of(
                        "zero response timeout",
                        "hearth.gateway.response-timeout",
                        "0s",
                        "hearth.gateway.response-timeout",
                        "PT0S"),
                Arguments.of(
                        "negative connect timeout",
                        "hearth.gateway.connect-timeout",
                        "-1s",
                        "hearth.gateway.connect-timeout",
                        "PT-1S"),
                Arguments.of(
                        "rate above 100", cb + "failure-rate-threshold", "150", cb + "failure-rate-threshold", "150"),
                Arguments.of("empty window", cb + "sliding-window-size", "0", cb + "sliding-window-size", "was 0"),
                Arguments.of(
                        "no minimum calls",
                        cb + "minimum-number-of-calls",
                        "0",
                        cb + "minimum-number-of-calls",
                        "was 0"),
                Arguments.of("zero open wait", cb + "wait-in-open-state", "0ms", cb + "wait-in-open-state", "PT0S"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithKeyAndValue(String label, String key, String value, String namedKey, String namedValue) {
        assertThatThrownBy(() -> bind(Map.of(key, value)))
                .rootCause()
                .hasMessageContaining(namedKey)
                .hasMessageContaining(namedValue);
    }

    @Test
    void anInvalidValueFailsStartUp() {
        assertThatThrownBy(() -> GatewayApplication.builder()
                        .properties("server.port=0", "hearth.gateway.controllers=ftp://nowhere")
                        .run()
                        .close())
                .rootCause()
                .hasMessageContaining("hearth.gateway.controllers[0]")
                .hasMessageContaining("ftp://nowhere");
    }

    @Test
    void theListIsImmutable() {
        GatewayProperties p = bind(Map.of());
        assertThatThrownBy(() -> p.controllers().add(URI.create("http://x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(List.copyOf(p.controllers())).hasSize(1);
    }
}
