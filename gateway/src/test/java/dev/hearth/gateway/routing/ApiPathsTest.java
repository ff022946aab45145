package dev.hearth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiPathsTest {

    static Stream<Arguments> targets() {
        return Stream.of(
                Arguments.of("origin form", "/api/v1/x?blocking=true", "/api/v1/x?blocking=true", "/api/v1/x"),
                Arguments.of("absolute form", "http://gw:3233/api/v1/x?a=b", "/api/v1/x?a=b", "/api/v1/x"),
                Arguments.of("absolute form, no path", "http://gw:3233", "/", "/"),
                Arguments.of("absolute form, query only", "http://gw:3233?a=/b", "/?a=/b", "/"),
                Arguments.of(
                        "encoded slash kept",
                        "/api/v1/namespaces/_/actions/p%2Fa",
                        "/api/v1/namespaces/_/actions/p%2Fa",
                        "/api/v1/namespaces/_/actions/p%2Fa"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("targets")
    void pathAndQuery(String label, String target, String pathAndQuery, String path) {
        assertThat(ApiPaths.pathAndQuery(target)).isEqualTo(pathAndQuery);
        assertThat(ApiPaths.path(pathAndQuery)).isEqualTo(path);
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                // path, goes to a controller, is an upload
                Arguments.of("/api", true, false),
                Arguments.of("/api/", true, false),
                Arguments.of("/api/v1/namespaces/_/actions/hello", true, false),
                Arguments.of("/apis", false, false),
                Arguments.of("/ping", false, false),
                Arguments.of("/actuator/health", false, false),
                Arguments.of("/", false, false),
                Arguments.of("/api/v1/namespaces/guest/artifacts", true, true),
                Arguments.of("/api/v1/namespaces/_/artifacts/", true, true),
                Arguments.of("/api/v1/namespaces//artifacts", true, false),
                Arguments.of("/api/v1/namespaces/_/artifacts/abc", true, false),
                Arguments.of("/api/v1/namespaces/_/actions/artifacts", true, false),
                Arguments.of("/api/v1/namespaces/artifacts", true, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void routes(String path, boolean api, boolean upload) {
        assertThat(ApiPaths.isApi(path)).isEqualTo(api);
        assertThat(ApiPaths.isUpload(path)).isEqualTo(upload);
    }

    static Stream<Arguments> lengths() {
        return Stream.of(
                Arguments.of(-1L, false), // unknown (chunked): streams
                Arguments.of(0L, true),
                Arguments.of(177_604L, true), // bench/models/image.json
                Arguments.of(1024L * 1024, true),
                Arguments.of(1024L * 1024 + 1, false),
                Arguments.of(5L * 1024 * 1024 * 1024, false)); // a model upload
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengths")
    void sendWhole(long contentLength, boolean whole) {
        assertThat(ApiPaths.sendWhole(contentLength)).isEqualTo(whole);
    }
}
