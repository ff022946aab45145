package dev.hearth.bench.hops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExchangeTest {
    @Test
    void rebuildsRequestsAndAnswersOnKeptAliveConnections() throws IOException {
        List<Exchange> exchanges = exchanges(new Frames(ByteOrder.LITTLE_ENDIAN, false)
                .tcp(1.0, 50_000, 8080, Frames.SYN, "")
                .tcp(1.0, 8080, 50_000, Frames.SYN | Frames.ACK, "")
                .tcp(1.125, 50_000, 8080, Frames.PSH_ACK, "POST /run HTTP/1.1\r\nContent-Length: 9\r\n\r\n")
                .tcp(1.1875, 50_000, 8080, Frames.PSH_ACK, "{\"a\":1}\r\n")
                .tcp(1.25, 8080, 50_000, Frames.ACK, "")
                .tcp(1.5, 8080, 50_000, Frames.PSH_ACK, "HTTP/1.1 200 OK\r\n")
                .tcp(1.625, 8080, 50_000, Frames.PSH_ACK, "{}")
                .tcp(2.0, 50_000, 8080, Frames.PSH_ACK, "GET /stats HTTP/1.1\r\n\r\n")
                .tcp(2.0625, 8080, 50_000, Frames.PSH_ACK, "HTTP/1.1 200 OK\r\n\r\n{}"));

        assertThat(exchanges)
                .containsExactly(
                        new Exchange(8080, "POST /run HTTP/1.1", 1.125, 1.1875, 1.5, 1.625),
                        new Exchange(8080, "GET /stats HTTP/1.1", 2.0, 2.0, 2.0625, 2.0625));
    }

    @Test
    void aConnectionOpenedBeforeTheCaptureIsKnownByItsRequestLine() throws IOException {
        List<Exchange> exchanges = exchanges(new Frames(ByteOrder.LITTLE_ENDIAN, false)
                .tcp(5.0, 3233, 41_000, Frames.PSH_ACK, "HTTP/1.1 200 OK\r\n") // the end of an earlier answer
                .tcp(
                        5.125,
                        41_000,
                        3233,
                        Frames.PSH_ACK,
                        "POST /api/v1/namespaces/_/actions/a?blocking=true HTTP/1.1\r\n")
                .tcp(5.25, 3233, 41_000, Frames.PSH_ACK, "HTTP/1.1 200 OK\r\n"));

        assertThat(exchanges)
                .containsExactly(new Exchange(
                        3233, "POST /api/v1/namespaces/_/actions/a?blocking=true HTTP/1.1", 5.125, 5.125, 5.25, 5.25));
    }

    @Test
    void otherProtocolsAndUnansweredRequestsAreLeftOut() throws IOException {
        List<Exchange> exchanges = exchanges(new Frames(ByteOrder.LITTLE_ENDIAN, false)
                .tcp(1.0, 42_000, 9092, Frames.SYN, "")
                .tcp(1.1, 42_000, 9092, Frames.PSH_ACK, "\u0000\u0000\u0000\u0011\u0000\u0001fetch")
                .tcp(1.2, 9092, 42_000, Frames.PSH_ACK, "\u0000\u0000\u0000\u0005data")
                .tcp(1.3, 43_000, 8080, Frames.PSH_ACK, "POST /run HTTP/1.1\r\n"));

        assertThat(exchanges).isEmpty();
    }

    private static List<Exchange> exchanges(Frames frames) throws IOException {
        return Exchange.of(Pcap.read(new ByteArrayInputStream(frames.bytes())));
    }
}
