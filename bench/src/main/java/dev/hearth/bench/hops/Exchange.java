package dev.hearth.bench.hops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One HTTP/1.1 request and its response on a loopback connection, by the capture times of the first and
 * last segment that carried each. Rebuilt from segments alone: a connection's server is the port its
 * opening SYN went to, or, for a connection opened before the capture, the port a request line went to;
 * a request begins with a segment that starts with a method and runs until the server's first payload,
 * which begins the response. Non-HTTP traffic (Kafka, PostgreSQL) starts no request and is left out.
 */
public record Exchange(
        int serverPort,
        String requestLine,
        double requestFirst,
        double requestLast,
        double responseFirst,
        double responseLast) {

    /** Whether this exchange lies within {@code outer}'s span, from its request's first to its response's last segment. */
    boolean within(Exchange outer) {
        return requestFirst >= outer.requestFirst && responseLast <= outer.responseLast;
    }

    /** The answered exchanges in {@code segments}, by the time their request began. */
    public static List<Exchange> of(List<Segment> segments) {
        Set<Integer> servers = new HashSet<>();
        Map<Long, Open> open = new HashMap<>();
        List<Exchange> out = new ArrayList<>();
        for (Segment s : segments) {
            if (s.opensConnection()) {
                servers.add(s.destinationPort());
            }
            if (s.payloadLength() == 0) {
                continue;
            }
            boolean toServer =
                    servers.contains(s.destinationPort()) || (!servers.contains(s.sourcePort()) && s.startsRequest());
            if (toServer) {
                servers.add(s.destinationPort());
                long key = key(s.sourcePort(), s.destinationPort());
                Open current = open.get(key);
                if (s.startsRequest()) {
                    if (current != null && current.answered()) {
                        out.add(current.exchange());
                    }
                    open.put(key, new Open(s.destinationPort(), s.firstLine(), s.seconds()));
                } else if (current != null && !current.answered()) {
                    current.requestLast = s.seconds();
                }
            } else {
                Open current = open.get(key(s.destinationPort(), s.sourcePort()));
                if (current != null) {
                    if (!current.answered()) {
                        current.responseFirst = s.seconds();
                    }
                    current.responseLast = s.seconds();
                }
            }
        }
        open.values().stream().filter(Open::answered).map(Open::exchange).forEach(out::add);
        out.sort(Comparator.comparingDouble(Exchange::requestFirst));
        return out;
    }

    private static long key(int clientPort, int serverPort) {
        return ((long) clientPort << 16) | serverPort;
    }

    /** A request still being rebuilt. */
    private static final class Open {
        final int server;
        final String line;
        final double requestFirst;
        double requestLast;
        double responseFirst = Double.NaN;
        double responseLast = Double.NaN;

        Open(int server, String line, double at) {
            this.server = server;
            this.line = line;
            this.requestFirst = at;
            this.requestLast = at;
        }

        boolean answered() {
            return !Double.isNaN(responseFirst);
        }

        Exchange exchange() {
            return new Exchange(server, line, requestFirst, requestLast, responseFirst, responseLast);
        }
    }
}
