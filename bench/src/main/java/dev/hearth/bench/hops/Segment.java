package dev.hearth.bench.hops;

import java.nio.charset.StandardCharsets;

/**
 * One captured TCP segment: when (seconds, the capture's clock), between which ports, its flags, the
 * length of its payload and the payload's first bytes.
 */
public record Segment(double seconds, int sourcePort, int destinationPort, int flags, int payloadLength, byte[] head) {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    /** A client's first segment: its destination is a server's port. */
    boolean opensConnection() {
        return (flags & SYN) != 0 && (flags & ACK) == 0;
    }

    /** Whether the payload starts an HTTP/1.1 request. */
    boolean startsRequest() {
        String start = new String(head, 0, Math.min(head.length, 8), StandardCharsets.ISO_8859_1);
        for (String method : new String[] {"GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD "}) {
            if (start.startsWith(method)) {
                return true;
            }
        }
        return false;
    }

    /** The first line of the payload (an HTTP request line when {@link #startsRequest}). */
    String firstLine() {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }
}
