package dev.hearth.invoker.tensors;

import dev.hearth.invoker.tensors.TensorUsage.Tensor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which stored tensors to remove, as a pure function of a {@link TensorUsage}.
 *
 * <h2>Algorithm</h2>
 * A tensor is a <em>candidate</em> when no container references it, it is not in {@code keep} (the
 * tensors of the request being made room for), and it did not appear while a container initialisation
 * was in flight ({@code idleSince} before {@link TensorUsage#protectFrom()}: a file published by a
 * loading container is unreferenced until the container reports it). Of the candidates:
 * <ol>
 *   <li>every one idle for at least {@code grace} goes;</li>
 *   <li>under pressure ({@code bytesNeeded > 0}), more go, longest idle first (then larger first, then by
 *       hash, so the choice is deterministic), until the removed bytes reach {@code bytesNeeded} or no
 *       candidate is left.</li>
 * </ol>
 * A referenced tensor is never chosen.
 *
 * <h2>Worked example</h2>
 * Grace 10 min, now 10:30. Tensors: {@code a} 40 MB idle since 10:00, {@code b} 30 MB idle since
 * 10:25, {@code c} 50 MB idle since 10:28, {@code d} 100 MB referenced by one container.
 * <ul>
 *   <li>No pressure → [a] (idle 30 min); b and c are within their grace.</li>
 *   <li>60 MB needed → [a, b]: a's 40 MB, then b (idle longer than c) reaches 70 ≥ 60.</li>
 *   <li>500 MB needed → [a, b, c]: all candidates, still short; d is referenced.</li>
 *   <li>A container init in flight since 10:27 → c is protected: [a, b] at most.</li>
 * </ul>
 *
 * <h2>Caveats</h2>
 * A container loading a bundle that has no index yet maps stored tensors it finds by hash before it
 * reports them; if one is removed in that instant its load falls back to private memory for that
 * tensor (a warning, never a failure).
 */
public final class ReclaimPolicy {
    private ReclaimPolicy() {}

    public static List<String> choose(
            TensorUsage usage, Instant now, Duration grace, long bytesNeeded, Set<String> keep) {
        List<Tensor> candidates = new ArrayList<>();
        for (Tensor t : usage.tensors().values()) {
            if (t.references() > 0 || t.idleSince() == null || keep.contains(t.sha256())) {
                continue;
            }
            boolean protectedByInit =
                    usage.protectFrom() != null && !t.idleSince().isBefore(usage.protectFrom());
            if (!protectedByInit) {
                candidates.add(t);
            }
        }
        candidates.sort(Comparator.comparing(Tensor::idleSince)
                .thenComparing(Comparator.comparingLong(Tensor::size).reversed())
                .thenComparing(Tensor::sha256));
        List<String> chosen = new ArrayList<>();
        long freed = 0;
        for (Tensor t : candidates) {
            boolean expired = !t.idleSince().plus(grace).isAfter(now);
            if (expired || freed < bytesNeeded) {
                chosen.add(t.sha256());
                freed += t.size();
            }
        }
        return chosen;
    }
}
