package dev.hearth.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server over real sockets, with a handler that answers each request with the thread it ran on. */
class ProxyServerTest {

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blocking = new CountDownLatch(1);
    private ProxyServer server;

    private final Handler handler = new Handler() {
        @Override
        public boolean isWork(Request request) {
            return request.method().equals("POST");
        }

        @Override
        public Response handle(Request request) {
            if (request.path().equals("/block")) {
                blocking.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String body = Thread.currentThread().getName() + " " + request.method() + " " + request.path() + " "
                    + new String(request.body(), StandardCharsets.UTF_8);
            return new Response(200, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "text/plain"));
        }

        @Override
        public Response refuse(int status, String message) {
            return new Response(status, ("refused: " + message).getBytes(StandardCharsets.UTF_8), Map.of());
        }
    };

    @BeforeEach
    void start() throws IOException {
        server = ProxyServer.start(new InetSocketAddress("127.0.0.1", 0), 16, 1 << 20, handler);
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.close();
    }

    @Test
    void aKeptAliveConnectionsRequestsAreReadAndAnsweredOnTheActivationThreadWithoutAHandOff() throws Exception {
        try (Client c = new Client()) {
            for (int i = 0; i < 5; i++) {
                Answer a = c.post("/run", "{\"i\":" + i + "}");
                assertThat(a.status).isEqualTo(200);
                assertThat(a.body).isEqualTo("hearth-activation POST /run {\"i\":" + i + "}");
                assertThat(a.headers).containsEntry("content-type", "text/plain");
            }
            assertThat(c.get("/stats").body).startsWith("hearth-activation GET /stats");
        }
        assertThat(server.handOffs()).isZero();
        assertThat(server.connections()).isEqualTo(1);
    }

    @Test
    void workOnAnotherConnectionIsHandedOverOnceThenComesStraight() throws Exception {
        try (Client first = new Client();
                Client second = new Client()) {
            assertThat(first.post("/run", "1").body).startsWith("hearth-activation ");
            assertThat(second.get("/stats").body)
                    .as("the second connection has a reader thread of its own")
                    .startsWith("hearth-http-");
            for (int i = 0; i < 3; i++) {
                assertThat(second.post("/run", "2").body).startsWith("hearth-activation ");
            }
            assertThat(server.handOffs())
                    .as("the second connection was handed over once")
                    .isEqualTo(1);
            assertThat(first.get("/stats").body)
                    .as("the first went to a reader thread when the second was taken")
                    .startsWith("hearth-http-");
            assertThat(first.post("/run", "3").body).startsWith("hearth-activation ");
            assertThat(server.handOffs()).isEqualTo(2);
        }
    }

    @Test
    void statsAnswerOnAReaderThreadWhileWorkHoldsTheActivationThread() throws Exception {
        try (Client worker = new Client();
                Client watcher = new Client()) {
            CompletableFuture<Answer> blocked = CompletableFuture.supplyAsync(() -> worker.postUnchecked("/block", ""));
            assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.get("/stats").body).startsWith("hearth-http-");
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(blocked.get(5, TimeUnit.SECONDS).body).startsWith("hearth-activation POST /block");
        }
    }

    @Test
    void workArrivingFromManyConnectionsAtOnceAllRunsOnTheActivationThread() throws Exception {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String body = "call " + i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try (Client c = new Client()) {
                    return c.post("/run", body);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS).body)
                    .isEqualTo("hearth-activation POST /run call " + i);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Client c = new Client()) {
            c.send("POST /run HTTP/1.1\r\nContent-Length: 1\r\n\r\nA" + "GET /stats HTTP/1.1\r\n\r\n"
                    + "POST /run HTTP/1.1\r\nContent-Length: 1\r\n\r\nB");
            assertThat(c.read().body).isEqualTo("hearth-activation POST /run A");
            assertThat(c.read().body).isEqualTo("hearth-activation GET /stats ");
            assertThat(c.read().body).isEqualTo("hearth-activation POST /run B");
        }
    }

    @Test
    void aRequestTheServerCannotReadIsRefusedAndItsConnectionClosedWhileOthersGoOn() throws Exception {
        try (Client c = new Client()) {
            c.send("GARBAGE\r\n\r\n");
            Answer a = c.read();
            assertThat(a.status).isEqualTo(400);
            assertThat(a.body).startsWith("refused: Malformed request line");
            assertThat(a.headers).containsEntry("connection", "close");
            assertThat(c.in.read()).as("closed").isEqualTo(-1);
        }
        try (Client c = new Client()) {
            c.send("POST /run HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n");
            assertThat(c.read().status).isEqualTo(413);
        }
        try (Client c = new Client()) {
            assertThat(c.post("/run", "after").body).isEqualTo("hearth-activation POST /run after");
        }
    }

    @Test
    void aClientGoneMidRequestLeavesTheServerServing() throws Exception {
        try (Client c = new Client()) {
            c.send("POST /run HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        }
        try (Client c = new Client()) {
            assertThat(c.post("/run", "next").body).isEqualTo("hearth-activation POST /run next");
        }
    }

    @Test
    void expectContinueGetsTheInterimAnswerBeforeTheBody() throws Exception {
        try (Client c = new Client()) {
            c.send("POST /run HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertThat(c.line()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(c.line()).isEmpty();
            c.send("body");
            assertThat(c.read().body).isEqualTo("hearth-activation POST /run body");
        }
    }

    @Test
    void connectionCloseAndHttp10AreAnsweredThenClosed() throws Exception {
        for (String request : List.of(
                "POST /run HTTP/1.1\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx",
                "GET /stats HTTP/1.0\r\n\r\n")) {
            try (Client c = new Client()) {
                c.send(request);
                Answer a = c.read();
                assertThat(a.status).isEqualTo(200);
                assertThat(a.headers).containsEntry("connection", "close");
                assertThat(c.in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void aChunkedBodyReachesTheHandlerWhole() throws Exception {
        try (Client c = new Client()) {
            c.send("POST /run HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n");
            assertThat(c.read().body).isEqualTo("hearth-activation POST /run abcde");
        }
    }

    private record Answer(int status, Map<String, String> headers, String body) {}

    /** A client on one socket, reading answers by their Content-Length. */
    private final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final InputStream in;
        final OutputStream out;

        Client() throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        Answer post(String path, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            send("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body);
            return read();
        }

        Answer postUnchecked(String path, String body) {
            try {
                return post(path, body);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }

        Answer get(String path) throws IOException {
            send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
            return read();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        Answer read() throws IOException {
            String status = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(
                        h.substring(0, colon).toLowerCase(Locale.ROOT),
                        h.substring(colon + 1).strip());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            return new Answer(
                    Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
        }

        String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("end of stream in a line: " + b);
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
