package dev.hearth.proxy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The models pre-loaded into a container that is not bound to a function yet, by bundle digest: the
 * intra-container model manager behind {@code /preload} and {@code /offload}. A pre-load is a model
 * bundle in memory, nothing of any function's state; {@code /init} takes the one whose digest it names
 * (no load) and offloads every other, so a bound container holds only its own bundle.
 *
 * <p>Not synchronised: {@link ActionHost} calls every mutator under its own lock. {@link #toJson()} reads a
 * volatile immutable snapshot, so {@code /stats} never waits for a pre-load in progress.
 */
final class Preloads {

    /** One pre-loaded model. */
    private record Entry(String digest, HostedModel model) {}

    private final Map<String, HostedModel> models = new LinkedHashMap<>();
    private volatile List<Entry> snapshot = List.of();

    /** The model pre-loaded under {@code digest}, or {@code null}. */
    HostedModel get(String digest) {
        return models.get(digest);
    }

    /** Adds a loaded model; the caller checked that {@code digest} was not pre-loaded yet. */
    void add(String digest, HostedModel model) {
        if (models.putIfAbsent(digest, model) != null) {
            throw new IllegalStateException("already pre-loaded: " + digest);
        }
        publish();
    }

    /** Removes the model pre-loaded under {@code digest} without closing it (it is being bound), or {@code null}. */
    HostedModel take(String digest) {
        HostedModel model = models.remove(digest);
        publish();
        return model;
    }

    /** Closes and forgets the model pre-loaded under {@code digest}; {@code false} when there was none. */
    boolean offload(String digest) {
        HostedModel model = models.remove(digest);
        if (model == null) {
            return false;
        }
        publish();
        model.close();
        unmap();
        return true;
    }

    /** Closes and forgets every pre-loaded model; returns how many there were. */
    int offloadAll() {
        if (models.isEmpty()) {
            return 0;
        }
        List<HostedModel> closing = new ArrayList<>(models.values());
        models.clear();
        publish();
        for (HostedModel model : closing) {
            model.close();
        }
        unmap();
        return closing.size();
    }

    /**
     * Closing a model frees its native memory at once, but the tensor-store files its weights were
     * mapped from stay mapped until the garbage collector finds their buffers unreachable, which with a
     * small, quiet heap may be never: the pages would stay in this container's memory (and a store file
     * removed by the invoker's janitor would stay allocated) although the invoker counts them freed. So
     * an offload ends with a collection; the buffers' cleaners unmap right after it.
     */
    private static void unmap() {
        System.gc();
    }

    /** {@code /stats}' {@code preloaded}: {@code [{"digest","modelLoadMs","sharedBytes","privateBytes"}]}. */
    JsonArray toJson() {
        JsonArray out = new JsonArray();
        for (Entry e : snapshot) {
            JsonObject weights = e.model().weights();
            JsonObject json = new JsonObject();
            json.addProperty("digest", e.digest());
            json.addProperty("modelLoadMs", e.model().modelLoadMs());
            json.add("sharedBytes", weights.get("sharedBytes"));
            json.add("privateBytes", weights.get("privateBytes"));
            out.add(json);
        }
        return out;
    }

    private void publish() {
        List<Entry> entries = new ArrayList<>(models.size());
        for (Map.Entry<String, HostedModel> e : models.entrySet()) {
            entries.add(new Entry(e.getKey(), e.getValue()));
        }
        snapshot = List.copyOf(entries);
    }
}
