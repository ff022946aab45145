package dev.hearth.controller.action;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Actions read on the invoke path, by {@code namespace/name}. This controller invalidates an entry
 * when it updates or deletes the action, and when another controller says it did ({@link ActionChanges});
 * entries also expire after {@link #TTL}, so a change whose message was lost is seen soon after.
 */
@Component
class ActionCache {
    static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(ActionRecord action, Instant expires) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    ActionCache(Clock clock) {
        this.clock = clock;
    }

    Optional<ActionRecord> get(String namespace, String name, Supplier<Optional<ActionRecord>> load) {
        String key = namespace + "/" + name;
        Instant now = clock.instant();
        Entry e = entries.get(key);
        if (e != null && e.expires().isAfter(now)) {
            return Optional.of(e.action());
        }
        Optional<ActionRecord> loaded = load.get();
        if (loaded.isPresent()) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            entries.put(key, new Entry(loaded.get(), now.plus(TTL)));
        } else {
            entries.remove(key);
        }
        return loaded;
    }

    void invalidate(String namespace, String name) {
        invalidate(namespace + "/" + name);
    }

    /** Drops the action at {@code path} ({@code namespace/name}). */
    void invalidate(String path) {
        entries.remove(path);
    }
}
