package dev.hearth.controller.loadbalancer;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.testsupport.SampleActivations;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real client against a real HTTP server playing the invoker: each way a call can end. */
class HttpDirectInvokerTest {
    private HttpServer server;
    private volatile int status = 200;
    private volatile long delayMs;
    private volatile byte[] answer;
    private volatile byte[] received;
    private static final ActivationMessage MESSAGE =
            SampleActivations.blocking("java", RawJson.trusted("{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
    private final HttpDirectInvoker client = new HttpDirectInvoker(Duration.ofSeconds(1));
    private URI endpoint;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/invoker/activations", exchange -> {
            received = exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCompletionComesBackAndTheConnectionIsReused() {
        CompletionMessage c = new CompletionMessage(Message.SCHEMA, "tx", "a".repeat(32), 0, 256, false, null);
        answer = Messages.encode(c);
        for (int i = 0; i < 3; i++) {
            assertThat(client.call(endpoint, MESSAGE, Duration.ofSeconds(5)))
                    .isEqualTo(new DirectInvoker.Result.Completed(c));
        }
        assertThat(Messages.decode(received, ActivationMessage.class))
                .as("the invoker gets the message encoded")
                .isEqualTo(MESSAGE);
    }

    @Test
    void aConflictMeansAlreadyAcceptedAndOtherStatusesAreFailures() {
        status = 409;
        answer = utf8("{\"error\":\"Activation x was already accepted.\",\"code\":\"tx\"}");
        assertThat(client.call(endpoint, MESSAGE, Duration.ofSeconds(5)))
                .isInstanceOf(DirectInvoker.Result.AlreadyAccepted.class);
        status = 500;
        answer = utf8("{\"error\":\"boom\",\"code\":\"tx\"}");
        assertThat(client.call(endpoint, MESSAGE, Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(
                        DirectInvoker.Result.Failed.class,
                        f -> assertThat(f.why()).contains("500").contains("boom"));
        status = 200;
        answer = utf8("not a completion");
        assertThat(client.call(endpoint, MESSAGE, Duration.ofSeconds(5)))
                .isInstanceOf(DirectInvoker.Result.Failed.class);
    }

    @Test
    void anAnswerSlowerThanTheWaitIsATimeoutNotAFailure() {
        answer = utf8("{}");
        delayMs = 1500;
        assertThat(client.call(endpoint, MESSAGE, Duration.ofMillis(200)))
                .isInstanceOf(DirectInvoker.Result.TimedOut.class);
    }

    @Test
    void aRefusedConnectionIsAFailure() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        assertThat(client.call(URI.create("http://127.0.0.1:" + dead), MESSAGE, Duration.ofSeconds(5)))
                .isInstanceOf(DirectInvoker.Result.Failed.class);
    }
}
