package dev.hearth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ControllerRingTest {

    private static final URI A = URI.create("http://a:3234");
    private static final URI B = URI.create("http://b:3234");
    private static final URI C = URI.create("https://c:443/base/");

    static Stream<Arguments> orders() {
        return Stream.of(
                Arguments.of("one controller", List.of(A), 7, List.of(A)),
                Arguments.of("first request", List.of(A, B, C), 0, List.of(A, B, C)),
                Arguments.of("second request", List.of(A, B, C), 1, List.of(B, C, A)),
                Arguments.of("third request", List.of(A, B, C), 2, List.of(C, A, B)),
                Arguments.of("wraps around", List.of(A, B, C), 3, List.of(A, B, C)),
                Arguments.of("counter overflowed", List.of(A, B, C), Integer.MIN_VALUE, List.of(B, C, A)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("orders")
    void order(String label, List<URI> controllers, int n, List<URI> expected) {
        assertThat(ControllerRing.order(controllers, n)).isEqualTo(expected);
    }

    @Test
    void nextAdvancesTheCounter() {
        ControllerRing ring = new ControllerRing(List.of(A, B));
        assertThat(ring.next()).containsExactly(A, B);
        assertThat(ring.next()).containsExactly(B, A);
        assertThat(ring.next()).containsExactly(A, B);
    }

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("plain", "/api/v1/namespaces", A, "http://a:3234/api/v1/namespaces"),
                Arguments.of(
                        "raw query kept",
                        "/api/v1/x?blocking=true&p=a%2Fb%20c",
                        A,
                        "http://a:3234/api/v1/x?blocking=true&p=a%2Fb%20c"),
                Arguments.of(
                        "encoded path kept",
                        "/api/v1/namespaces/_/actions/pkg%2Fact",
                        B,
                        "http://b:3234/api/v1/namespaces/_/actions/pkg%2Fact"),
                Arguments.of("base path prefix", "/api/v1", C, "https://c:443/base/api/v1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void target(String label, String pathAndQuery, URI controller, String expected) {
        assertThat(ControllerRing.target(pathAndQuery, controller)).isEqualTo(expected);
    }

    @Test
    void onlyConnectFailuresFailOver() {
        assertThat(ControllerProxy.isConnectFailure(new ConnectException("refused")))
                .isTrue();
        assertThat(ControllerProxy.isConnectFailure(new RuntimeException(new ConnectException("refused"))))
                .isTrue();
        assertThat(ControllerProxy.isConnectFailure(new TimeoutException("slow")))
                .isFalse();
        assertThat(ControllerProxy.isConnectFailure(new IllegalStateException()))
                .isFalse();
    }
}
