package dev.hearth.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.id.TransactionId;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyHeadersTest {
    private static final TransactionId ID = TransactionId.parse("tid-1").orElseThrow();

    private static HttpHeaders headers(String... nameValues) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < nameValues.length; i += 2) {
            h.add(nameValues[i], nameValues[i + 1]);
        }
        return h;
    }

    static Stream<Arguments> toController() {
        return Stream.of(
                Arguments.of(
                        "end-to-end headers pass, Host becomes X-Forwarded-Host",
                        headers(
                                "Host",
                                "gw:3233",
                                "Authorization",
                                "Basic x",
                                "Content-Type",
                                "application/json",
                                "Content-Length",
                                "12"),
                        Map.of(
                                "authorization",
                                "Basic x",
                                "content-type",
                                "application/json",
                                "content-length",
                                "12",
                                "x-request-id",
                                "tid-1",
                                "x-forwarded-for",
                                "10.0.0.7",
                                "x-forwarded-proto",
                                "http",
                                "x-forwarded-host",
                                "gw:3233"),
                        List.of("host")),
                Arguments.of(
                        "hop-by-hop headers and those Connection names stay behind",
                        headers(
                                "Connection",
                                "keep-alive, X-Private",
                                "Keep-Alive",
                                "timeout=5",
                                "X-Private",
                                "p",
                                "TE",
                                "trailers",
                                "Upgrade",
                                "h2c",
                                "Proxy-Authorization",
                                "Basic p",
                                "Accept",
                                "*/*"),
                        Map.of("accept", "*/*", "x-request-id", "tid-1"),
                        List.of(
                                "connection",
                                "keep-alive",
                                "x-private",
                                "transfer-encoding",
                                "te",
                                "upgrade",
                                "proxy-authorization")),
                Arguments.of(
                        "a body of unknown length is chunked again for the gateway's own connection",
                        headers("Transfer-Encoding", "gzip, chunked", "Content-Type", "application/zip"),
                        Map.of("transfer-encoding", "chunked", "content-type", "application/zip"),
                        List.of("content-length")),
                Arguments.of(
                        "a body of known length keeps it, not chunked",
                        headers("Content-Length", "5"),
                        Map.of("content-length", "5"),
                        List.of("transfer-encoding")),
                Arguments.of(
                        "the client's X-Request-ID gives way to the settled one, X-Forwarded-For is appended to",
                        headers("X-Request-ID", "not valid!", "X-Forwarded-For", "192.0.2.1"),
                        Map.of("x-request-id", "tid-1", "x-forwarded-for", "192.0.2.1, 10.0.0.7"),
                        List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toController")
    void toTheController(String label, HttpHeaders client, Map<String, String> expected, List<String> absent) {
        HttpHeaders out = ProxyHeaders.toController(client, ID, "10.0.0.7", "http");

        assertHeaders(out, expected, absent);
    }

    static Stream<Arguments> toClient() {
        return Stream.of(
                Arguments.of(
                        "status-independent headers pass, the id is the gateway's",
                        headers(
                                "Content-Type",
                                "application/json",
                                "Content-Length",
                                "2",
                                "x-openwhisk-activation-id",
                                "abc",
                                "X-Request-ID",
                                "other"),
                        Map.of(
                                "content-type",
                                "application/json",
                                "content-length",
                                "2",
                                "x-openwhisk-activation-id",
                                "abc",
                                "x-request-id",
                                "tid-1"),
                        List.of()),
                Arguments.of(
                        "an answer without a length is chunked again by the gateway's own connection",
                        headers("Transfer-Encoding", "chunked", "Connection", "close", "Content-Type", "text/plain"),
                        Map.of("content-type", "text/plain", "x-request-id", "tid-1", "transfer-encoding", "chunked"),
                        List.of("connection", "content-length")));
    }

    static Stream<Arguments> bodies() {
        return Stream.of(
                Arguments.of("GET", 200, true),
                Arguments.of("POST", 502, true),
                Arguments.of("HEAD", 200, false),
                Arguments.of("DELETE", 204, false),
                Arguments.of("GET", 304, false),
                Arguments.of("GET", 101, false));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bodies")
    void mayHaveBody(String method, int status, boolean body) {
        assertThat(ProxyHeaders.mayHaveBody(method, status)).isEqualTo(body);
        HttpHeaders noLength = ProxyHeaders.toClient(headers("Content-Type", "application/json"), ID, body);
        assertThat(noLength.contains("transfer-encoding")).isEqualTo(body);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toClient")
    void toTheClient(String label, HttpHeaders controller, Map<String, String> expected, List<String> absent) {
        HttpHeaders out = ProxyHeaders.toClient(controller, ID, true);

        assertHeaders(out, expected, absent);
    }

    private static void assertHeaders(HttpHeaders out, Map<String, String> expected, List<String> absent) {
        expected.forEach((name, value) -> assertThat(out.getAll(name)).as(name).containsExactly(value));
        absent.forEach(name -> assertThat(out.contains(name)).as(name).isFalse());
    }
}
