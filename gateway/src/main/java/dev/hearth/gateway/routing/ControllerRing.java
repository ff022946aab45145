package dev.hearth.gateway.routing;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Round-robin over the configured controllers, with a fail-over order.
 *
 * <p>Algorithm: the n-th request (n counted by this ring) gets the controllers rotated by
 * {@code n mod k}: it goes to the first, and when a connection to that one cannot be opened, to the
 * next, and so on, each at most once. Example with controllers [A, B, C]: request 0 tries A, B, C;
 * request 1 tries B, C, A; request 2 tries C, A, B; request 3 tries A again.
 *
 * <p>Caveats: no health memory (a dead controller costs every k-th request a refused connect,
 * which is fast on a LAN); no weights; the counter is per gateway instance, so several gateways
 * each spread on their own. {@link #order(List, int)} is the pure policy; the counter is the only
 * state.
 */
final class ControllerRing {

    private final List<URI> controllers;
    private final AtomicInteger counter = new AtomicInteger();

    ControllerRing(List<URI> controllers) {
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("no controllers");
        }
        this.controllers = List.copyOf(controllers);
    }

    /** The order in which the next request tries the controllers. */
    List<URI> next() {
        return order(controllers, counter.getAndIncrement());
    }

    /** The controllers rotated by {@code n mod size}; overflowed (negative) counters stay in range. */
    static List<URI> order(List<URI> controllers, int n) {
        int k = controllers.size();
        int first = Math.floorMod(n, k);
        List<URI> order = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            order.add(controllers.get((first + i) % k));
        }
        return List.copyOf(order);
    }

    /**
     * The request re-aimed at {@code controller}: its scheme, host and port, its path as a prefix, then
     * the request's own raw path and query ({@code pathAndQuery}, starting with {@code /}; nothing is
     * decoded or re-encoded).
     */
    static String target(String pathAndQuery, URI controller) {
        String prefix = controller.getRawPath() == null ? "" : controller.getRawPath();
        if (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        return controller.getScheme().toLowerCase(java.util.Locale.ROOT)
                + "://"
                + controller.getRawAuthority()
                + prefix
                + pathAndQuery;
    }
}
