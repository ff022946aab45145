package dev.hearth.bench.hops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a call's time goes between the processes on one machine, from the exchanges captured on
 * loopback: a call through the gateway encloses the gateway's request to the controller, which
 * encloses the invoker's {@code /run} on the container. Consecutive capture times split the call into
 * hops: each process's time between the data it received and the data it sent, and each body's
 * transfer. {@code /run} exchanges inside no other exchange are the container called alone, the baseline.
 */
public final class HopTimeline {
    /** The container's own hop inside a call through Hearth, request in to answer. */
    public static final String CONTAINER = "container, request in -> answer";

    /** The container called alone, request in to answer: the baseline of {@link #CONTAINER}. */
    public static final String CONTAINER_ALONE = "container alone, request in -> answer";

    /** The hops of a call through Hearth, in order; the last two are sums. */
    public static final List<String> HOPS = List.of(
            "client -> gateway, request body",
            "gateway, request in -> out",
            "gateway -> controller, request body",
            "controller + invoker, request in -> container",
            "invoker -> container, request body",
            CONTAINER,
            "container -> invoker, answer",
            "invoker + controller, answer in -> out",
            "controller -> gateway, answer",
            "gateway, answer in -> out",
            "gateway -> client, answer",
            "whole call, first request byte to last answer byte",
            "whole call outside the container's request in -> answer");

    /** The container alone: its request in to its answer, and the whole exchange. */
    public static final List<String> ALONE = List.of(CONTAINER_ALONE, "container alone, whole exchange");

    /** Each hop's durations (ms), call by call; and how many calls could not be matched. */
    public record Result(Map<String, double[]> hearth, Map<String, double[]> alone, int unmatched) {}

    private HopTimeline() {}

    /**
     * Splits the calls to {@code actionPath} (a request line's path, without the query) found in
     * {@code exchanges}.
     */
    public static Result of(List<Exchange> exchanges, String actionPath) {
        List<Exchange> onPath = exchanges.stream()
                .filter(e -> e.requestLine().startsWith("POST " + actionPath + "?")
                        || e.requestLine().startsWith("POST " + actionPath + " "))
                .toList();
        List<Exchange> calls = onPath.stream()
                .filter(e -> onPath.stream().noneMatch(o -> o != e && e.within(o)))
                .toList();
        List<Exchange> runs = exchanges.stream()
                .filter(e -> e.requestLine().startsWith("POST /run "))
                .toList();
        List<double[]> rows = new ArrayList<>();
        int unmatched = 0;
        for (Exchange g : calls) {
            List<Exchange> c =
                    onPath.stream().filter(e -> e != g && e.within(g)).toList();
            List<Exchange> k = runs.stream().filter(e -> e.within(g)).toList();
            if (c.size() != 1 || k.size() != 1) {
                unmatched++;
                continue;
            }
            rows.add(hops(g, c.get(0), k.get(0)));
        }
        List<double[]> aloneRows = runs.stream()
                .filter(r -> exchanges.stream().noneMatch(o -> o != r && r.within(o)))
                .map(r -> new double[] {ms(r.requestLast(), r.responseFirst()), ms(r.requestFirst(), r.responseLast())})
                .toList();
        return new Result(columns(HOPS, rows), columns(ALONE, aloneRows), unmatched);
    }

    private static double[] hops(Exchange g, Exchange c, Exchange k) {
        double container = ms(k.requestLast(), k.responseFirst());
        double whole = ms(g.requestFirst(), g.responseLast());
        return new double[] {
            ms(g.requestFirst(), g.requestLast()),
            ms(g.requestLast(), c.requestFirst()),
            ms(c.requestFirst(), c.requestLast()),
            ms(c.requestLast(), k.requestFirst()),
            ms(k.requestFirst(), k.requestLast()),
            container,
            ms(k.responseFirst(), k.responseLast()),
            ms(k.responseLast(), c.responseFirst()),
            ms(c.responseFirst(), c.responseLast()),
            ms(c.responseLast(), g.responseFirst()),
            ms(g.responseFirst(), g.responseLast()),
            whole,
            whole - container
        };
    }

    private static Map<String, double[]> columns(List<String> names, List<double[]> rows) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            int column = i;
            out.put(names.get(i), rows.stream().mapToDouble(r -> r[column]).toArray());
        }
        return out;
    }

    private static double ms(double from, double to) {
        return (to - from) * 1e3;
    }
}
