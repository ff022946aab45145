package dev.hearth.controller.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.support.ControllerHarness;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A kept-alive connection (the gateway's pooled one) serves request after request: the controller does
 * not close it after Tomcat's default of 100.
 */
class KeptAliveConnectionTest {
    static ControllerHarness controller;

    @BeforeAll
    static void start() {
        controller = ControllerHarness.start();
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    @Test
    void oneConnectionServesMoreThanAHundredRequests() throws IOException {
        URI base = URI.create(controller.base());
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            for (int i = 1; i <= 250; i++) {
                out.write("GET /ping HTTP/1.1\r\nHost: controller\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readHead(in);
                assertThat(head).as("answer %d", i).startsWith("HTTP/1.1 200");
                assertThat(head.toLowerCase(Locale.ROOT))
                        .as("answer %d keeps the connection", i)
                        .doesNotContain("connection: close");
                assertThat(new String(in.readNBytes(contentLength(head)), StandardCharsets.UTF_8))
                        .isEqualTo("pong");
            }
        }
    }

    /** The status line and headers, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the controller closed the connection after: " + head);
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Integer.parseInt(
                        line.substring("content-length:".length()).trim());
            }
        }
        throw new AssertionError("no Content-Length in " + head);
    }
}
