package dev.hearth.invoker.tensors;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The machine's tensor store and its references at one moment, as the reclaim policy and the stats
 * see it.
 *
 * @param tensors     every stored tensor by hash
 * @param containers  the hashes each live container references
 * @param protectFrom the start of the oldest container initialisation still in flight (null when none):
 *                    an unreferenced tensor that appeared since may be one it is publishing right now
 */
public record TensorUsage(Map<String, Tensor> tensors, Map<String, Set<String>> containers, Instant protectFrom) {

    /**
     * One stored tensor.
     *
     * @param references containers referencing it
     * @param idleSince  when its last reference ended, or when the ledger first saw it unreferenced
     *                   (null while referenced)
     */
    public record Tensor(String sha256, long size, int references, Instant idleSince) {}

    public TensorUsage {
        tensors = Map.copyOf(tensors);
        containers = Map.copyOf(containers);
    }

    public long storedBytes() {
        return tensors.values().stream().mapToLong(Tensor::size).sum();
    }

    public long unreferencedBytes() {
        return tensors.values().stream()
                .filter(t -> t.references() == 0)
                .mapToLong(Tensor::size)
                .sum();
    }

    /** What the containers' shared weights would occupy if every container had its own copy. */
    public long bytesWithoutSharing() {
        long sum = 0;
        for (Set<String> digests : containers.values()) {
            sum += bytes(digests);
        }
        return sum;
    }

    /** {@link #bytesWithoutSharing()} over the referenced bytes actually stored; 1 when nothing is shared. */
    public double dedupeRatio() {
        long referenced = storedBytes() - unreferencedBytes();
        return referenced == 0 ? 1.0 : (double) bytesWithoutSharing() / referenced;
    }

    /** The bytes of the stored tensors among {@code digests}. */
    public long bytes(Set<String> digests) {
        long sum = 0;
        for (String d : digests) {
            Tensor t = tensors.get(d);
            if (t != null) {
                sum += t.size();
            }
        }
        return sum;
    }

    /** The bytes of the tensors {@code containerId} references that no other container does. */
    public long exclusiveBytes(String containerId) {
        long sum = 0;
        for (String d : containers.getOrDefault(containerId, Set.of())) {
            Tensor t = tensors.get(d);
            if (t != null && t.references() == 1) {
                sum += t.size();
            }
        }
        return sum;
    }
}
