package dev.hearth.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against a server written on plain sockets, so each test decides the exact bytes of the
 * answer and sees every connection the client opens.
 */
class KeptAliveHttpTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final KeptAliveHttp http = new KeptAliveHttp(Duration.ofSeconds(1));
    private ScriptedServer server;

    @AfterEach
    void stop() throws IOException {
        http.close();
        if (server != null) {
            server.close();
        }
    }

    private static String answer(int status, String headers, String body) {
        return "HTTP/1.1 " + status + " X\r\n" + headers + "Content-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private HttpReply post(String body) throws IOException {
        return http.post("127.0.0.1", server.port(), "/run", "application/json", utf8(body), WAIT);
    }

    @Test
    void sendsOneRequestWithItsBodyAndReusesTheConnection() throws Exception {
        server = new ScriptedServer((n, req) -> answer(200, "X-Hearth-Inference-Ms: 1.5\r\n", "{\"n\":" + n + "}"));
        for (int i = 1; i <= 3; i++) {
            HttpReply r = post("{\"i\":" + i + "}");
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":" + i + "}");
            assertThat(r.header("x-hearth-inference-ms")).contains("1.5");
        }
        assertThat(server.connections()).isEqualTo(1);
        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests().get(2))
                .startsWith("POST /run HTTP/1.1\r\n")
                .contains("Content-Type: application/json\r\n")
                .contains("Content-Length: 7\r\n")
                .endsWith("\r\n\r\n{\"i\":3}");
    }

    @Test
    void sendsExtraHeadersAndRefusesOnesThatWouldSplitTheHead() throws Exception {
        server = new ScriptedServer((n, req) -> answer(200, "", "{}"));
        http.post(
                "127.0.0.1",
                server.port(),
                "/api",
                "application/json",
                java.util.Map.of("Authorization", "Basic eDp5"),
                utf8("{}"),
                WAIT);
        assertThat(server.requests().getFirst()).contains("\r\nAuthorization: Basic eDp5\r\n");
        assertThatThrownBy(() -> http.post(
                        "127.0.0.1",
                        server.port(),
                        "/api",
                        "application/json",
                        java.util.Map.of("Authorization", "x\r\nHost: evil"),
                        utf8("{}"),
                        WAIT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aForgottenEndpointGetsANewConnection() throws Exception {
        server = new ScriptedServer((n, req) -> answer(200, "", "{}"));
        post("{}");
        post("{}");
        http.forget("127.0.0.1", server.port());
        post("{}");
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void readsChunkedAnswersAndSkipsInterimOnes() throws Exception {
        server = new ScriptedServer((n, req) -> "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4;ext=1\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\nTrailer: x\r\n\r\n");
        for (int i = 0; i < 2; i++) {
            HttpReply r = post("{}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        }
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void connectionCloseAndAnAnswerWithoutLengthEndTheConnection() throws Exception {
        server = new ScriptedServer((n, req) -> n == 1
                ? answer(200, "Connection: close\r\n", "{}")
                : "HTTP/1.1 200 OK\r\n\r\n{\"until\":\"eof\"}" + ScriptedServer.CLOSE);
        assertThat(post("{}").status()).isEqualTo(200);
        assertThat(new String(post("{}").body(), StandardCharsets.UTF_8)).isEqualTo("{\"until\":\"eof\"}");
        assertThat(post("{}").status()).isEqualTo(200);
        assertThat(server.connections()).isEqualTo(3);
    }

    @Test
    void aKeptConnectionTheServerClosedIsReplacedAndTheRequestSentOnce() throws Exception {
        // the server closes after each answer without saying so, as an idle timeout would
        server = new ScriptedServer((n, req) -> answer(200, "", "{\"n\":" + n + "}") + ScriptedServer.CLOSE);
        assertThat(new String(post("{}").body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
        Thread.sleep(100); // the close has reached the client's side
        assertThat(new String(post("{}").body(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");
        assertThat(server.connections()).isEqualTo(2);
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aSlowAnswerIsATimeoutAndTheConnectionIsNotReused() throws Exception {
        server = new ScriptedServer((n, req) -> n == 1 ? ScriptedServer.SLEEP : answer(200, "", "{}"));
        assertThatThrownBy(() -> http.post(
                        "127.0.0.1", server.port(), "/run", "application/json", utf8("{}"), Duration.ofMillis(200)))
                .isInstanceOf(AnswerTimeoutException.class)
                .hasMessageContaining("did not answer within 200 ms");
        assertThat(post("{}").status()).isEqualTo(200);
        assertThat(server.connections()).isEqualTo(2);
    }

    @Test
    void cutAndMalformedAnswersAreFailuresNotTimeouts() throws Exception {
        List<String> bad = List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}" + ScriptedServer.CLOSE,
                "HTTP/1.1 200 OK\r\nContent-Len" + ScriptedServer.CLOSE,
                "SSH-2.0-OpenSSH\r\n\r\n" + ScriptedServer.CLOSE,
                "HTTP/1.1 200 OK\r\nContent-Length: ten\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n");
        for (String answer : bad) {
            server = new ScriptedServer((n, req) -> answer);
            assertThatThrownBy(() -> post("{}"))
                    .as(answer)
                    .isInstanceOf(IOException.class)
                    .isNotInstanceOf(AnswerTimeoutException.class);
            server.close();
        }
        server = null;
    }

    @Test
    void aServerThatIsNotThereIsAFailure() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        assertThatThrownBy(() -> http.post("127.0.0.1", dead, "/run", "application/json", utf8("{}"), WAIT))
                .isInstanceOf(IOException.class)
                .isNotInstanceOf(AnswerTimeoutException.class);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Answers each request with what the script returns for (request number, request text); an answer
     * ending in {@link #CLOSE} closes the connection after it, {@link #SLEEP} answers nothing for 2 s.
     */
    private static final class ScriptedServer implements AutoCloseable {
        static final String CLOSE = "\u0000close";
        static final String SLEEP = "\u0000sleep";

        private final ServerSocket socket;
        private final BiFunction<Integer, String, String> script;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<String> requests = new CopyOnWriteArrayList<>();

        ScriptedServer(BiFunction<Integer, String, String> script) throws IOException {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.script = script;
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<String> requests() {
            return requests;
        }

        private void accept() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> serve(s));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket s) {
            try (s) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    String request = readRequest(in);
                    if (request == null) {
                        return;
                    }
                    requests.add(request);
                    String answer = script.apply(requests.size(), request);
                    if (answer.equals(SLEEP)) {
                        Thread.sleep(2000);
                        return;
                    }
                    boolean close = answer.endsWith(CLOSE);
                    out.write(utf8(close ? answer.substring(0, answer.length() - CLOSE.length()) : answer));
                    out.flush();
                    if (close) {
                        return;
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        /** The head and body of one request, or null at the end of the connection. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
