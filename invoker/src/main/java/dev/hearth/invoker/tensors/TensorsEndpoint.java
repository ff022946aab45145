package dev.hearth.invoker.tensors;

import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.PoolEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /invoker/tensors}: the tensor store and who uses it — tensors, bytes stored, bytes the
 * containers' shared weights would take without sharing, the dedupe ratio, and per container its
 * shared tensors and its process memory (resident, proportional, private, shared-memory share).
 */
@RestController
public class TensorsEndpoint {
    private final TensorStatus status;

    public TensorsEndpoint(TensorStatus status) {
        this.status = status;
    }

    /** {@code ?detail=true} adds every tensor (hash, size, references) and each container's hashes. */
    @GetMapping("/invoker/tensors")
    public Map<String, Object> tensors(@RequestParam(defaultValue = "false") boolean detail) {
        return status.describe(detail);
    }

    /** What the endpoint and the metrics read; sharing off gives {@code sharing: false} and nothing else. */
    public static final class TensorStatus {
        private final TensorLedger ledger; // null: sharing off
        private final ContainerPool pool;

        public TensorStatus(TensorLedger ledger, ContainerPool pool) {
            this.ledger = ledger;
            this.pool = pool;
        }

        public TensorUsage usage() {
            return ledger == null ? new TensorUsage(Map.of(), Map.of(), null) : ledger.usage();
        }

        Map<String, Object> describe(boolean detail) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sharing", ledger != null);
            TensorUsage usage = usage();
            if (ledger != null) {
                body.put("root", ledger.tensorStore().root().toString());
            }
            body.put("tensors", usage.tensors().size());
            body.put("storedBytes", usage.storedBytes());
            body.put("unreferencedBytes", usage.unreferencedBytes());
            body.put("bytesWithoutSharing", usage.bytesWithoutSharing());
            body.put("dedupeRatio", usage.dedupeRatio());
            List<Map<String, Object>> containers = new ArrayList<>();
            for (PoolEntry e : pool.snapshot().entries()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("id", e.id());
                c.put("state", e.state().label());
                Set<String> digests = usage.containers().getOrDefault(e.id(), Set.of());
                c.put("sharedTensors", digests.size());
                c.put("sharedBytes", usage.bytes(digests));
                c.put("exclusiveBytes", usage.exclusiveBytes(e.id()));
                if (detail) {
                    c.put("digests", digests.stream().sorted().toList());
                }
                pool.pid(e.id()).ifPresent(pid -> c.put("pid", pid));
                pool.pid(e.id())
                        .ifPresent(pid -> ProcessMemory.of(pid).ifPresent(m -> {
                            Map<String, Object> memory = new LinkedHashMap<>();
                            memory.put("rssBytes", m.rss());
                            memory.put("pssBytes", m.pss());
                            memory.put("privateBytes", m.privateBytes());
                            memory.put("sharedBytes", m.shared());
                            memory.put("pssShmemBytes", m.pssShmem());
                            ProcessMemory.mergedBytes(pid).ifPresent(b -> memory.put("mergedBytes", b));
                            c.put("memory", memory);
                        }));
                containers.add(c);
            }
            body.put("containers", containers);
            if (detail) {
                body.put(
                        "stored",
                        usage.tensors().values().stream()
                                .sorted(java.util.Comparator.comparing(TensorUsage.Tensor::sha256))
                                .map(t -> Map.of("sha256", t.sha256(), "size", t.size(), "references", t.references()))
                                .toList());
            }
            return body;
        }
    }
}
