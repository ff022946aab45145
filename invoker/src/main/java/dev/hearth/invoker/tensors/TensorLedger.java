package dev.hearth.invoker.tensors;

import dev.hearth.invoker.pool.TensorAccount;
import dev.hearth.invoker.tensors.TensorUsage.Tensor;
import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import dev.hearth.model.tensors.TensorStore.StoredTensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invoker's view of the machine's {@link TensorStore}: every stored tensor and its size, which
 * container references which tensors, and since when an unreferenced tensor has been idle. It is the
 * pool's {@link TensorAccount} (shared bytes charged once) and the input of the {@link ReclaimPolicy}.
 *
 * <p>References come from the containers themselves: when a container is started for a bundle, the
 * tensors the bundle's index names that are stored are pinned for it ({@link #starting}); when its
 * proxy answers {@code /init} it names the files it mapped, which replace the pins ({@link #attach});
 * when it is destroyed, crashed or evicted they end ({@link #detach}). The view is rebuilt from the
 * store's directory at start ({@link #rebuild}): containers of an earlier invoker process are gone, so
 * every tensor starts unreferenced and idle from that moment.
 */
public final class TensorLedger implements TensorAccount {
    private static final Logger log = LoggerFactory.getLogger(TensorLedger.class);
    private static final long MB = 1 << 20;

    private final TensorStore store;
    private final Clock clock;
    private final Duration grace;
    private final Map<String, Long> sizes = new HashMap<>();
    private final Map<String, Set<String>> byContainer = new HashMap<>();
    private final Map<String, Integer> references = new HashMap<>();
    private final Map<String, Instant> idleSince = new HashMap<>();
    private final Map<String, Instant> initsInFlight = new HashMap<>();
    private final Map<String, TensorIndex> indexes = new ConcurrentHashMap<>();

    public TensorLedger(TensorStore store, Clock clock, Duration grace) {
        this.store = store;
        this.clock = clock;
        this.grace = grace;
    }

    public TensorStore tensorStore() {
        return store;
    }

    /** Forgets everything and reads the store's directory: every tensor unreferenced, idle from now. */
    public synchronized void rebuild() throws IOException {
        sizes.clear();
        byContainer.clear();
        references.clear();
        idleSince.clear();
        initsInFlight.clear();
        Instant now = clock.instant();
        for (StoredTensor t : store.list()) {
            sizes.put(t.sha256(), t.size());
            idleSince.put(t.sha256(), now);
        }
    }

    /** Takes in files published since the last look (idle from now) and drops unreferenced ones that vanished. */
    public synchronized void refresh() throws IOException {
        Instant now = clock.instant();
        Set<String> present = new HashSet<>();
        for (StoredTensor t : store.list()) {
            present.add(t.sha256());
            if (sizes.putIfAbsent(t.sha256(), t.size()) == null && !references.containsKey(t.sha256())) {
                idleSince.put(t.sha256(), now);
            }
        }
        sizes.keySet().removeIf(d -> !present.contains(d) && !references.containsKey(d));
        idleSince.keySet().retainAll(sizes.keySet());
    }

    public synchronized TensorUsage usage() {
        Map<String, Tensor> tensors = new HashMap<>();
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            String d = e.getKey();
            tensors.put(d, new Tensor(d, e.getValue(), references.getOrDefault(d, 0), idleSince.get(d)));
        }
        Map<String, Set<String>> containers = new HashMap<>();
        byContainer.forEach((id, digests) -> containers.put(id, Set.copyOf(digests)));
        Instant protectFrom =
                initsInFlight.values().stream().min(Instant::compareTo).orElse(null);
        return new TensorUsage(tensors, containers, protectFrom);
    }

    @Override
    public synchronized Store store() {
        long stored = 0;
        long unreferenced = 0;
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            stored += e.getValue();
            if (!references.containsKey(e.getKey())) {
                unreferenced += e.getValue();
            }
        }
        int storedMb = ceilMb(stored);
        return new Store(storedMb, Math.max(0, storedMb - ceilMb(stored - unreferenced)));
    }

    @Override
    public synchronized Share container(String containerId) {
        long shared = 0;
        long exclusive = 0;
        for (String d : byContainer.getOrDefault(containerId, Set.of())) {
            long size = sizes.getOrDefault(d, 0L);
            shared += size;
            if (references.getOrDefault(d, 0) == 1) {
                exclusive += size;
            }
        }
        int sharedMb = floorMb(shared);
        return new Share(sharedMb, Math.min(sharedMb, floorMb(exclusive)));
    }

    @Override
    public synchronized Stored bundle(String bundleDigest) {
        long stored = 0;
        long unreferenced = 0;
        for (String d : indexed(bundleDigest)) {
            Long size = sizes.get(d);
            if (size != null) {
                stored += size;
                if (!references.containsKey(d)) {
                    unreferenced += size;
                }
            }
        }
        int storedMb = floorMb(stored);
        return new Stored(storedMb, Math.min(storedMb, ceilMb(unreferenced)));
    }

    @Override
    public synchronized void starting(String containerId, String bundleDigest) {
        initsInFlight.put(containerId, clock.instant());
        Set<String> pinned = new HashSet<>();
        for (String d : indexed(bundleDigest)) {
            if (sizes.containsKey(d)) {
                pinned.add(d);
            }
        }
        replace(containerId, pinned);
    }

    @Override
    public synchronized void attach(String containerId, Collection<String> digests) {
        initsInFlight.remove(containerId);
        Set<String> mapped = new HashSet<>();
        for (String d : digests) {
            if (!sizes.containsKey(d)) {
                try {
                    sizes.put(d, Files.size(store.file(d)));
                } catch (NoSuchFileException e) {
                    continue; // removed meanwhile: the container keeps its pages, nothing to account
                } catch (IOException | IllegalArgumentException e) {
                    log.warn("container {} reports tensor {} that cannot be read: {}", containerId, d, e.toString());
                    continue;
                }
            }
            mapped.add(d);
        }
        replace(containerId, mapped);
    }

    @Override
    public synchronized void detach(String containerId) {
        initsInFlight.remove(containerId);
        replace(containerId, Set.of());
        byContainer.remove(containerId);
    }

    private void replace(String containerId, Set<String> digests) {
        Set<String> before = byContainer.getOrDefault(containerId, Set.of());
        Instant now = clock.instant();
        for (String d : digests) {
            if (!before.contains(d)) {
                references.merge(d, 1, Integer::sum);
                idleSince.remove(d);
            }
        }
        for (String d : before) {
            if (!digests.contains(d)) {
                int left = references.merge(d, -1, Integer::sum);
                if (left <= 0) {
                    references.remove(d);
                    if (sizes.containsKey(d)) {
                        idleSince.put(d, now);
                    }
                }
            }
        }
        byContainer.put(containerId, new LinkedHashSet<>(digests));
    }

    @Override
    public void reclaim(int mb, String keepBundleDigest) {
        Set<String> keep = new HashSet<>(indexed(keepBundleDigest));
        List<String> chosen = ReclaimPolicy.choose(usage(), clock.instant(), grace, mb * MB, keep);
        remove(chosen);
    }

    /** Removes {@code digests} from the store, each only if it is still unreferenced; returns the bytes freed. */
    public long remove(List<String> digests) {
        long freed = 0;
        for (String d : digests) {
            synchronized (this) {
                if (references.containsKey(d) || !sizes.containsKey(d)) {
                    continue;
                }
                try {
                    store.remove(d);
                    freed += sizes.remove(d);
                    idleSince.remove(d);
                } catch (IOException e) {
                    log.warn("cannot remove tensor {}: {}", d, e.toString());
                }
            }
        }
        if (!digests.isEmpty()) {
            log.debug("removed {} unreferenced tensors ({} bytes)", digests.size(), freed);
        }
        return freed;
    }

    /** The tensors a bundle's index names (empty when the store has no index for it yet). */
    private Set<String> indexed(String bundleDigest) {
        if (bundleDigest == null || !bundleDigest.matches("[0-9a-f]{64}")) {
            return Set.of();
        }
        TensorIndex index = indexes.get(bundleDigest);
        if (index == null) {
            Optional<TensorIndex> read = store.index(bundleDigest);
            if (read.isEmpty()) {
                return Set.of();
            }
            index = read.get();
            indexes.put(bundleDigest, index);
        }
        Set<String> digests = new HashSet<>();
        for (TensorIndex.Entry e : index.entries()) {
            if (e.size() > 0) {
                digests.add(e.sha256());
            }
        }
        return digests;
    }

    private static int ceilMb(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, (bytes + MB - 1) / MB);
    }

    private static int floorMb(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes / MB);
    }
}
