package dev.hearth.invoker.preload;

import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How many bytes of a model's weights are not in the tensor store, which is what pre-loading it would add to
 * the machine. Counting reads the model's index and looks up every tensor file (ResNet-50: ~300), and the
 * pre-loader asks once a second for every candidate and every pre-loaded model: counted on each ask, that
 * was 2–5 ms of CPU a second (a profile with one warm ResNet-50 busy, session 33), all of it beside the
 * forward passes on two cores. So a digest's count is kept for {@link #RECOUNT}: tensors leave the store
 * only through the janitor's grace period (minutes) or a scrub, and a count some seconds old only shifts a
 * pre-load's estimated cost. A model without an index yet is not kept: its index comes with its first load.
 * Not thread-safe (the pre-loader's one thread uses it).
 */
final class MissingWeights {
    static final Duration RECOUNT = Duration.ofSeconds(10);

    private final TensorStore store;
    private final Clock clock;
    private final Map<String, Count> counts = new HashMap<>();

    private record Count(long bytes, Instant at) {}

    MissingWeights(TensorStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The bytes of {@code digest}'s tensors not in the store; empty when the store has no index for it. */
    OptionalLong bytes(String digest) {
        Instant now = clock.instant();
        Count c = counts.get(digest);
        if (c != null && now.isBefore(c.at().plus(RECOUNT))) {
            return OptionalLong.of(c.bytes());
        }
        var index = store.index(digest);
        if (index.isEmpty()) {
            counts.remove(digest);
            return OptionalLong.empty();
        }
        long missing = 0;
        for (TensorIndex.Entry e : index.get().entries()) {
            if (!Files.exists(store.file(e.sha256()))) {
                missing += e.size();
            }
        }
        if (counts.size() > 1024) { // digests of deleted actions: forget the old counts now and then
            counts.values().removeIf(old -> !now.isBefore(old.at().plus(RECOUNT)));
        }
        counts.put(digest, new Count(missing, now));
        return OptionalLong.of(missing);
    }
}
