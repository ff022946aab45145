package dev.hearth.invoker.activation;

import java.util.LinkedHashSet;
import java.util.SequencedSet;

/**
 * The last {@code capacity} activation ids this invoker accepted, oldest dropped first: enough to skip
 * a message that arrives twice (once directly, once through Kafka) but bounded, as ids never repeat
 * otherwise.
 */
final class RecentIds {
    private final int capacity;
    private final SequencedSet<String> ids = new LinkedHashSet<>();

    RecentIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, but is " + capacity);
        }
        this.capacity = capacity;
    }

    /** True when {@code id} is new (it is remembered from now on); false when it was seen. */
    synchronized boolean add(String id) {
        if (!ids.add(id)) {
            return false;
        }
        if (ids.size() > capacity) {
            ids.removeFirst();
        }
        return true;
    }
}
