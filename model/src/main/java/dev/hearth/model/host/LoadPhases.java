package dev.hearth.model.host;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a model load's time went: named phases in the order they ran, each the milliseconds (to 0.1)
 * since the previous mark. For the {@code /init} answer and benchmarks; a phase marked twice adds up.
 */
final class LoadPhases {

    private final Map<String, Double> phases = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Ends the phase {@code name} now; the next phase starts now. */
    void mark(String name) {
        long now = System.nanoTime();
        phases.merge(name, Math.round((now - last) / 1e5) / 10.0, Double::sum);
        last = now;
    }

    /** The phases so far, in order. */
    Map<String, Double> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }
}
