package dev.hearth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestParserTest {

    private static final int MAX_BODY = 1000;

    /** label, the bytes on the wire, then method, path, body, keepAlive. */
    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(
                        "a POST with Content-Length",
                        "POST /run HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
                        "POST",
                        "/run",
                        "{\"a\":1}",
                        true),
                Arguments.of("a GET without a body", "GET /stats HTTP/1.1\r\n\r\n", "GET", "/stats", "", true),
                Arguments.of(
                        "the query is not the path", "GET /stats?x=1&y HTTP/1.1\r\n\r\n", "GET", "/stats", "", true),
                Arguments.of(
                        "an absolute target keeps its path",
                        "GET http://127.0.0.1:8080/stats?x HTTP/1.1\r\n\r\n",
                        "GET",
                        "/stats",
                        "",
                        true),
                Arguments.of(
                        "lines ending in LF alone",
                        "POST /init HTTP/1.1\nContent-Length: 2\n\n{}",
                        "POST",
                        "/init",
                        "{}",
                        true),
                Arguments.of(
                        "empty lines before the request line are skipped",
                        "\r\n\r\nGET /stats HTTP/1.1\r\n\r\n",
                        "GET",
                        "/stats",
                        "",
                        true),
                Arguments.of(
                        "header names in any case",
                        "POST /run HTTP/1.1\r\ncOnTeNt-LeNgTh: 2\r\n\r\n{}",
                        "POST",
                        "/run",
                        "{}",
                        true),
                Arguments.of(
                        "Connection: close",
                        "POST /run HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
                        "POST",
                        "/run",
                        "{}",
                        false),
                Arguments.of("HTTP/1.0 closes", "GET /stats HTTP/1.0\r\n\r\n", "GET", "/stats", "", false),
                Arguments.of(
                        "HTTP/1.0 with keep-alive stays",
                        "GET /stats HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
                        "GET",
                        "/stats",
                        "",
                        true),
                Arguments.of(
                        "the same Content-Length twice",
                        "POST /run HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}",
                        "POST",
                        "/run",
                        "{}",
                        true),
                Arguments.of(
                        "a chunked body, with an extension and a trailer; such a request closes",
                        "POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\n{\"a\r\n4\r\n\":1}\r\n0\r\nT: v\r\n\r\n",
                        "POST",
                        "/run",
                        "{\"a\":1}",
                        false),
                Arguments.of(
                        "Transfer-Encoding wins over Content-Length",
                        "POST /run HTTP/1.1\r\nContent-Length: 99\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                        "POST",
                        "/run",
                        "{}",
                        false),
                Arguments.of(
                        "a body of exactly the limit",
                        "POST /run HTTP/1.1\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(1000),
                        "POST",
                        "/run",
                        "x".repeat(1000),
                        true));
    }

    @ParameterizedTest(name = "{0}, whole")
    @MethodSource("requests")
    void readsARequestArrivingWhole(
            String label, String wire, String method, String path, String body, boolean keepAlive) throws Exception {
        Request r = new RequestParser(MAX_BODY).feed(buffer(wire));
        assertRequest(r, method, path, body, keepAlive);
    }

    @ParameterizedTest(name = "{0}, a byte at a time")
    @MethodSource("requests")
    void readsARequestArrivingAByteAtATime(
            String label, String wire, String method, String path, String body, boolean keepAlive) throws Exception {
        RequestParser parser = new RequestParser(MAX_BODY);
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        int start = wire.length() - wire.stripLeading().length(); // skipped line ends before it
        Request r = null;
        for (int i = 0; i < bytes.length; i++) {
            assertThat(r)
                    .as("complete before its last byte (%d of %d)", i, bytes.length)
                    .isNull();
            r = parser.feed(ByteBuffer.wrap(bytes, i, 1));
            if (i >= start) {
                assertThat(parser.midRequest())
                        .as("mid-request after byte %d", i)
                        .isEqualTo(r == null);
            }
        }
        assertRequest(r, method, path, body, keepAlive);
    }

    /** label, the bytes on the wire, the status refusing them, a part of the message. */
    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of("no version", "GET /stats\r\n\r\n", 400, "Malformed request line"),
                Arguments.of("two spaces", "GET  /stats HTTP/1.1\r\n\r\n", 400, "Malformed request line"),
                Arguments.of("not HTTP", "GET /stats FTP/1.1\r\n\r\n", 400, "Malformed request line"),
                Arguments.of("HTTP/2 in plain text", "PRI * HTTP/2.0\r\n\r\n", 505, "HTTP/2.0"),
                Arguments.of("a header without a colon", "GET /s HTTP/1.1\r\nHost\r\n\r\n", 400, "Malformed header"),
                Arguments.of("space before the colon", "GET /s HTTP/1.1\r\nHost : x\r\n\r\n", 400, "Malformed header"),
                Arguments.of("a folded header", "GET /s HTTP/1.1\r\nA: b\r\n c\r\n\r\n", 400, "Malformed header"),
                Arguments.of(
                        "a negative Content-Length",
                        "POST /run HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                        400,
                        "Malformed Content-Length"),
                Arguments.of(
                        "two different Content-Lengths",
                        "POST /run HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                        400,
                        "two different Content-Length"),
                Arguments.of(
                        "a body past the limit",
                        "POST /run HTTP/1.1\r\nContent-Length: 1001\r\n\r\n",
                        413,
                        "(1001 bytes) is larger than the 1000 bytes"),
                Arguments.of(
                        "chunks past the limit",
                        "POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + "x".repeat(1000)
                                + "\r\n1\r\n",
                        413,
                        "larger than the 1000 bytes"),
                Arguments.of(
                        "gzip",
                        "POST /run HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                        501,
                        "gzip, chunked is not supported"),
                Arguments.of(
                        "a chunk size that is not hex",
                        "POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                        400,
                        "Malformed chunk size"),
                Arguments.of(
                        "a chunk longer than its size",
                        "POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n",
                        400,
                        "does not end where its size says"),
                Arguments.of(
                        "a head past 64 KB",
                        "GET /s HTTP/1.1\r\nX: " + "y".repeat(RequestParser.MAX_HEAD_BYTES) + "\r\n\r\n",
                        431,
                        "larger than 65536 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWhatItCannotRead(String label, String wire, int status, String message) {
        assertThatThrownBy(() -> new RequestParser(MAX_BODY).feed(buffer(wire)))
                .isInstanceOfSatisfying(
                        HttpError.class, e -> assertThat(e.status()).isEqualTo(status))
                .hasMessageContaining(message);
    }

    @Test
    void pipelinedRequestsComeOneAtATimeAndLeaveTheNextInTheBuffer() throws Exception {
        ByteBuffer wire = buffer("POST /run HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /stats HTTP/1.1\r\n\r\nPOST /r");
        RequestParser parser = new RequestParser(MAX_BODY);
        List<String> seen = new ArrayList<>();
        Request r;
        while ((r = parser.feed(wire)) != null) {
            seen.add(r.method() + " " + r.path());
        }
        assertThat(seen).containsExactly("POST /run", "GET /stats");
        assertThat(parser.midRequest()).as("the third has begun").isTrue();
    }

    @Test
    void asksForContinueOnceWhenTheHeadExpectsItAndTheBodyHasNotCome() throws Exception {
        RequestParser parser = new RequestParser(MAX_BODY);
        assertThat(parser.feed(buffer("POST /init HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")))
                .isNull();
        assertThat(parser.takeContinue()).isTrue();
        assertThat(parser.takeContinue()).isFalse();
        assertThat(parser.feed(buffer("{}")).body()).asString().isEqualTo("{}");

        RequestParser whole = new RequestParser(MAX_BODY);
        assertThat(whole.feed(buffer("POST /init HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}")))
                .isNotNull();
        assertThat(whole.takeContinue())
                .as("the body came with the head: nothing to ask for")
                .isFalse();
    }

    private static void assertRequest(Request r, String method, String path, String body, boolean keepAlive) {
        assertThat(r).isNotNull();
        assertThat(r.method()).isEqualTo(method);
        assertThat(r.path()).isEqualTo(path);
        assertThat(new String(r.body(), StandardCharsets.ISO_8859_1)).isEqualTo(body);
        assertThat(r.keepAlive()).isEqualTo(keepAlive);
    }

    private static ByteBuffer buffer(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
