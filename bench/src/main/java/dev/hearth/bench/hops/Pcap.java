package dev.hearth.bench.hops;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the TCP segments of a classic pcap file, as {@code tcpdump -w} writes it: either byte order,
 * micro- or nanosecond stamps, Ethernet (what Linux's loopback reports), Linux cooked (v1 and v2) or
 * raw IP links, IPv4 and IPv6. Everything that is not TCP is skipped.
 */
public final class Pcap {
    private static final int ETHERNET = 1;
    private static final int RAW_IP = 101;
    private static final int LINUX_COOKED = 113;
    private static final int LINUX_COOKED_V2 = 276;

    /** How many payload bytes a {@link Segment} keeps: enough for an HTTP request line. */
    static final int HEAD_BYTES = 160;

    private Pcap() {}

    /** The TCP segments of {@code file}, in capture order. */
    public static List<Segment> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    static List<Segment> read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] header = in.readNBytes(24);
        if (header.length < 24) {
            throw new IOException("not a pcap file: " + header.length + " bytes");
        }
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int magic = h.getInt(0);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
            order = ByteOrder.BIG_ENDIAN;
            h.order(order);
            magic = h.getInt(0);
        }
        double perSecond = switch (magic) {
            case 0xa1b2c3d4 -> 1e6;
            case 0xa1b23c4d -> 1e9;
            default -> throw new IOException("not a pcap file: magic " + Integer.toHexString(magic));
        };
        int link = h.getInt(20);
        List<Segment> out = new ArrayList<>();
        byte[] record = new byte[16];
        while (true) {
            try {
                in.readFully(record);
            } catch (EOFException end) {
                return out;
            }
            ByteBuffer r = ByteBuffer.wrap(record).order(order);
            double seconds = Integer.toUnsignedLong(r.getInt(0)) + Integer.toUnsignedLong(r.getInt(4)) / perSecond;
            byte[] frame = in.readNBytes(r.getInt(8));
            Segment s = tcp(seconds, frame, link);
            if (s != null) {
                out.add(s);
            }
        }
    }

    /** The TCP segment in one captured frame, or null. */
    static Segment tcp(double seconds, byte[] frame, int link) {
        int ip = switch (link) {
            case ETHERNET -> 14;
            case LINUX_COOKED -> 16;
            case LINUX_COOKED_V2 -> 20;
            case RAW_IP -> 0;
            default -> -1;
        };
        if (ip < 0 || frame.length < ip + 20) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(frame); // network order
        int version = (frame[ip] & 0xff) >> 4;
        int tcp;
        int ipPayload;
        if (version == 4) {
            if ((frame[ip + 9] & 0xff) != 6) {
                return null;
            }
            int headerLength = (frame[ip] & 0x0f) * 4;
            tcp = ip + headerLength;
            ipPayload = (b.getShort(ip + 2) & 0xffff) - headerLength;
        } else if (version == 6 && frame.length >= ip + 40) {
            if ((frame[ip + 6] & 0xff) != 6) {
                return null; // extension headers: not on loopback HTTP
            }
            tcp = ip + 40;
            ipPayload = b.getShort(ip + 4) & 0xffff;
        } else {
            return null;
        }
        if (frame.length < tcp + 14) {
            return null;
        }
        int dataOffset = ((frame[tcp + 12] & 0xff) >> 4) * 4;
        int payload = ipPayload - dataOffset;
        int headStart = Math.min(frame.length, tcp + dataOffset);
        byte[] head = Arrays.copyOfRange(frame, headStart, Math.min(frame.length, headStart + HEAD_BYTES));
        return new Segment(
                seconds,
                b.getShort(tcp) & 0xffff,
                b.getShort(tcp + 2) & 0xffff,
                frame[tcp + 13] & 0xff,
                Math.max(0, payload),
                head);
    }
}
