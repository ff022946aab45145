package dev.hearth.bench.hops;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds pcap files of Ethernet/IPv4 frames for the tests, as tcpdump writes them on lo. */
final class Frames {
    static final int SYN = 0x02;
    static final int ACK = 0x10;
    static final int PSH_ACK = 0x18;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;
    private final boolean nanos;

    Frames(ByteOrder order, boolean nanos) {
        this.order = order;
        this.nanos = nanos;
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4);
        h.putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(h.array());
    }

    /** A TCP segment from {@code from} to {@code to} at {@code seconds} carrying {@code payload}. */
    Frames tcp(double seconds, int from, int to, int flags, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        return frame(seconds, ipv4(6, tcpHeader(from, to, flags), data));
    }

    /** A UDP datagram, which the reader must skip. */
    Frames udp(double seconds, int from, int to) {
        ByteBuffer u = ByteBuffer.allocate(8);
        u.putShort((short) from).putShort((short) to).putShort((short) 8).putShort((short) 0);
        return frame(seconds, ipv4(17, u.array(), new byte[0]));
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private Frames frame(double seconds, byte[] ip) {
        byte[] frame = new byte[14 + ip.length];
        frame[12] = 0x08; // IPv4
        System.arraycopy(ip, 0, frame, 14, ip.length);
        long whole = (long) Math.floor(seconds);
        long fraction = Math.round((seconds - whole) * (nanos ? 1e9 : 1e6));
        ByteBuffer r = ByteBuffer.allocate(16).order(order);
        r.putInt((int) whole).putInt((int) fraction).putInt(frame.length).putInt(frame.length);
        out.writeBytes(r.array());
        out.writeBytes(frame);
        return this;
    }

    private static byte[] tcpHeader(int from, int to, int flags) {
        ByteBuffer t = ByteBuffer.allocate(20);
        t.putShort((short) from).putShort((short) to).putInt(1).putInt(1);
        t.put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535).putInt(0);
        return t.array();
    }

    private static byte[] ipv4(int protocol, byte[] header, byte[] data) {
        ByteBuffer ip = ByteBuffer.allocate(20 + header.length + data.length);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + header.length + data.length));
        ip.putInt(0).put((byte) 64).put((byte) protocol).putShort((short) 0);
        ip.put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 1});
        ip.put(header).put(data);
        return ip.array();
    }
}
