package dev.hearth.invoker.preload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which models to pre-load into which stem cells, and which pre-loads to drop, as a pure function of a
 * {@link Snapshot}.
 *
 * <h2>Algorithm</h2>
 * For every model function ({@code kind} {@code djl:*}) with a known rate λ and model-load time L:
 * <ul>
 *   <li>p = 1 − e^(−λ·H): the Poisson probability of at least one call within the horizon H;</li>
 *   <li>value = p · L: the expected model-load time saved (ms);</li>
 *   <li>cost = the memory a pre-load adds (MB; with shared tensors already in the store, only its
 *       private part, a few MB);</li>
 *   <li>score = value / cost;</li>
 *   <li>replicas = max(1, peak) + 1 − containers, at least 0: the calls that can come at once (the
 *       peak concurrency of its recent calls) beyond the containers it has (idle, busy or starting),
 *       plus one spare. The spare covers a call beyond the recent peak, and a copy lost because a call
 *       of another function took the stem cell holding it (binding drops a cell's other pre-loads; the
 *       replacement takes a stem-cell start and a load). A function with an idle container and calls
 *       that never overlap needs one (the spare); a bursty one that ran five at once and has two
 *       containers left needs four. The count does not change when a call starts or ends in its
 *       container, so nothing is pre-loaded during a call and off-loaded after it.</li>
 * </ul>
 * Drop a pre-load whose function is unknown or whose value fell below half of {@code minValueMs}
 * (hysteresis), and the replicas beyond what a function needs (the highest cell ids first). Under memory
 * pressure ({@code pressureMb > 0}) also drop the lowest-scoring pre-loads until their cost covers the
 * pressure, and pre-load nothing. While activations run on the invoker ({@code busy > 0}) pre-load
 * nothing either: a pre-load (a load and a warm-up request, ~0.2–1 s of CPU for a ResNet-50) competes
 * with them for the machine's cores — bench/preload-replay saw a just-bound pre-loaded ResNet-50 take
 * ~0.8 s in {@code /run} while its replacement was being pre-loaded, against ~0.14 s alone — and the
 * pre-loader decides again every interval, so pre-loads fill the gaps between calls. Otherwise pre-load, best score first, every function whose value is at
 * least {@code minValueMs} into the stem cells of its kind and exactly its memory that do not hold it yet
 * and whose remaining budget covers the cost, until it has its replicas; the cells holding the fewest
 * pre-loads first (then id order), so that copies spread and one call taking a cell costs the other
 * functions as few pre-loads as possible.
 *
 * <h2>Worked example</h2>
 * H = 600 s, minValueMs = 20. Function {@code r} (ResNet-50, 1024 MB, L = 300 ms, λ = 1/120 s, no
 * containers, peak 1): p = 1 − e^−5 = 0.993, value 298 ms, cost 8 MB (its tensors are stored) → score
 * 37, two replicas. Function {@code m} (MLP, 1024 MB, L = 40 ms, λ = 1/3600 s): p = 0.154, value 6.2 ms →
 * below 20, not pre-loaded. Two 1024 MB stem cells with a 512 MB budget each → preload r into both. If
 * {@code r} then has a warm container, it needs one replica and the copy in the second cell is dropped;
 * had its last calls come three at once, four stem cells would get it (as many as there are).
 *
 * <h2>Caveats</h2>
 * The peak is the recent past, not a forecast; the rate ignores time-of-day patterns (the histogram is
 * reported, not yet used); the budget per cell is a fixed share of its memory, not measured use; an
 * invoker that is never idle pre-loads nothing.
 */
public final class PreloadPolicy {
    private PreloadPolicy() {}

    /** Pre-loaded copies a function keeps beyond what its recent peak needs. */
    static final int SPARE = 1;

    /**
     * One function as the policy sees it; {@code costMb} is what a pre-load of its model adds;
     * {@code containers}: its containers now (idle, busy or starting); {@code peak}: the most of its
     * recent calls in flight at once.
     */
    public record Candidate(
            String path,
            String digest,
            String kind,
            int memoryMb,
            double ratePerSecond,
            long modelLoadMs,
            int costMb,
            int containers,
            int peak) {
        /** How many stem cells should hold this function's model: its peak beyond its containers, plus a spare. */
        int replicas() {
            return Math.max(0, Math.max(1, peak) + SPARE - containers);
        }
    }

    /** A stem cell: its pre-loads (digest → cost MB) and budget for pre-loads. */
    public record Cell(String id, String kind, int memoryMb, Map<String, Integer> preloaded, int budgetMb) {
        public Cell {
            preloaded = Map.copyOf(preloaded);
        }

        int freeMb() {
            return budgetMb
                    - preloaded.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** {@code busy}: activations running on the invoker now (containers busy or starting for a call). */
    public record Snapshot(
            List<Candidate> functions,
            List<Cell> cells,
            Duration horizon,
            double minValueMs,
            int pressureMb,
            int busy) {
        public Snapshot {
            functions = List.copyOf(functions);
            cells = List.copyOf(cells);
        }
    }

    public record Preload(String cellId, String digest) {}

    public record Offload(String cellId, String digest) {}

    public record Decision(List<Preload> preload, List<Offload> offload) {
        public Decision {
            preload = List.copyOf(preload);
            offload = List.copyOf(offload);
        }
    }

    /** The expected model-load time a pre-load saves within the horizon (ms). */
    static double value(Candidate f, Duration horizon) {
        double p = 1 - Math.exp(-f.ratePerSecond() * horizon.toMillis() / 1000.0);
        return p * f.modelLoadMs();
    }

    public static Decision decide(Snapshot s) {
        Map<String, Candidate> byDigest = new HashMap<>();
        for (Candidate f : s.functions()) {
            if (f.kind() != null && f.kind().startsWith("djl:") && f.digest() != null) {
                byDigest.merge(f.digest(), f, (a, b) -> value(a, s.horizon()) >= value(b, s.horizon()) ? a : b);
            }
        }
        List<Cell> cells = new ArrayList<>(s.cells());
        cells.sort(Comparator.comparing(Cell::id));
        List<Offload> offload = new ArrayList<>();
        Map<String, Map<String, Integer>> kept = new HashMap<>();
        Map<String, Integer> replicasHeld = new HashMap<>();
        record Held(String cell, String digest, double score, int cost) {}
        List<Held> held = new ArrayList<>();
        for (Cell c : cells) {
            Map<String, Integer> keep = new HashMap<>();
            for (String digest : new java.util.TreeSet<>(c.preloaded().keySet())) {
                int cost = c.preloaded().get(digest);
                Candidate f = byDigest.get(digest);
                boolean stale = f == null
                        || value(f, s.horizon()) < s.minValueMs() / 2
                        || replicasHeld.getOrDefault(digest, 0) >= f.replicas();
                if (stale) {
                    offload.add(new Offload(c.id(), digest));
                } else {
                    keep.put(digest, cost);
                    replicasHeld.merge(digest, 1, Integer::sum);
                    held.add(new Held(c.id(), digest, value(f, s.horizon()) / Math.max(1, cost), cost));
                }
            }
            kept.put(c.id(), keep);
        }
        if (s.pressureMb() > 0) {
            held.sort(Comparator.comparingDouble(Held::score).thenComparing(Held::digest));
            int freed = 0;
            for (Held h : held) {
                if (freed >= s.pressureMb()) {
                    break;
                }
                offload.add(new Offload(h.cell(), h.digest()));
                kept.get(h.cell()).remove(h.digest());
                freed += h.cost();
            }
            return new Decision(List.of(), offload);
        }
        if (s.busy() > 0) {
            return new Decision(List.of(), offload);
        }
        List<Candidate> wanted = new ArrayList<>();
        for (Candidate f : byDigest.values()) {
            if (f.replicas() > replicasHeld.getOrDefault(f.digest(), 0) && value(f, s.horizon()) >= s.minValueMs()) {
                wanted.add(f);
            }
        }
        wanted.sort(Comparator.comparingDouble((Candidate f) -> -value(f, s.horizon()) / Math.max(1, f.costMb()))
                .thenComparing(Candidate::digest));
        List<Preload> preload = new ArrayList<>();
        for (Candidate f : wanted) {
            int missing = f.replicas() - replicasHeld.getOrDefault(f.digest(), 0);
            List<Cell> order = new ArrayList<>(cells); // fewest pre-loads first, then id (sort is stable)
            order.sort(Comparator.comparingInt(c -> kept.get(c.id()).size()));
            for (Cell c : order) {
                if (missing == 0) {
                    break;
                }
                Map<String, Integer> holds = kept.get(c.id());
                int free = c.budgetMb()
                        - holds.values().stream().mapToInt(Integer::intValue).sum();
                boolean fits = c.kind().equals(f.kind()) && c.memoryMb() == f.memoryMb() && free >= f.costMb();
                if (fits && !holds.containsKey(f.digest())) {
                    preload.add(new Preload(c.id(), f.digest()));
                    holds.put(f.digest(), f.costMb());
                    missing--;
                }
            }
        }
        return new Decision(preload, offload);
    }
}
