package dev.hearth.bench.hops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PcapTest {
    @Test
    void readsTcpSegmentsAndSkipsTheRest() throws IOException {
        byte[] file = new Frames(ByteOrder.LITTLE_ENDIAN, false)
                .tcp(10.25, 50_000, 8080, Frames.SYN, "")
                .udp(10.5, 53, 53)
                .tcp(10.75, 50_000, 8080, Frames.PSH_ACK, "POST /run HTTP/1.1\r\nHost: x\r\n\r\n{}")
                .bytes();

        List<Segment> segments = Pcap.read(new ByteArrayInputStream(file));

        assertThat(segments).hasSize(2);
        Segment syn = segments.get(0);
        assertThat(syn.seconds()).isEqualTo(10.25);
        assertThat(syn.opensConnection()).isTrue();
        assertThat(syn.payloadLength()).isZero();
        Segment request = segments.get(1);
        assertThat(request.sourcePort()).isEqualTo(50_000);
        assertThat(request.destinationPort()).isEqualTo(8080);
        assertThat(request.opensConnection()).isFalse();
        assertThat(request.payloadLength()).isEqualTo(33);
        assertThat(request.startsRequest()).isTrue();
        assertThat(request.firstLine()).isEqualTo("POST /run HTTP/1.1");
    }

    @Test
    void readsBigEndianFilesWithNanosecondStamps() throws IOException {
        byte[] file = new Frames(ByteOrder.BIG_ENDIAN, true)
                .tcp(3.000_000_123, 8080, 50_000, Frames.PSH_ACK, "HTTP/1.1 200 OK\r\n")
                .bytes();

        Segment answer = Pcap.read(new ByteArrayInputStream(file)).get(0);

        assertThat(answer.seconds()).isCloseTo(3.000_000_123, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(answer.sourcePort()).isEqualTo(8080);
        assertThat(answer.startsRequest()).isFalse();
    }

    @Test
    void refusesWhatIsNotAPcapFile() {
        assertThatThrownBy(() -> Pcap.read(new ByteArrayInputStream(new byte[24])))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("magic");
        assertThatThrownBy(() -> Pcap.read(new ByteArrayInputStream(new byte[3])))
                .isInstanceOf(IOException.class);
    }
}
