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
 * For every model function ({@code kind} {@code djl:*}) with a known rate λ and model-load time L that
 * that has no container at all (an idle warm one serves its next call; a busy one means the function is
 * active, and pre-loading it now would be undone as soon as that container is idle again):
 * <ul>
 *   <li>p = 1 − e^(−λ·H): the Poisson probability of at least one call within the horizon H;</li>
 *   <li>value = p · L: the expected model-load time saved (ms);</li>
 *   <li>cost = the memory a pre-load adds (MB; with shared tensors already in the store, only its
 *       private part, a few MB);</li>
 *   <li>score = value / cost.</li>
 * </ul>
 * Pre-load, best score first, every function whose value is at least {@code minValueMs} into every stem
 * cell of its kind and exactly its memory that does not hold it yet and whose remaining pre-load budget
 * covers the cost (cells in id order). Every cell, not one: the calls that find no warm container come
 * in bursts as often as alone (a burst of five needs five containers), and with shared tensors a
 * replica costs a few MB and one load from the index. Drop a
 * pre-load whose function no longer qualifies (value below half of {@code minValueMs}: hysteresis, or
 * unknown, or now warm) and, under memory pressure ({@code pressureMb > 0}), the lowest-scoring
 * pre-loads until their cost covers the pressure; nothing is pre-loaded under pressure.
 *
 * <h2>Worked example</h2>
 * H = 600 s, minValueMs = 20. Function {@code r} (ResNet-50, 1024 MB, L = 300 ms, λ = 1/120 s): p =
 * 1 − e^−5 = 0.993, value 298 ms, cost 8 MB (its tensors are stored) → score 37. Function {@code m} (MLP,
 * 1024 MB, L = 40 ms, λ = 1/3600 s): p = 0.154, value 6.2 ms → below 20, not pre-loaded. One 1024 MB
 * stem cell with a 512 MB budget → preload r into it. If {@code r} then goes warm, its pre-load is dropped.
 * A second stem cell started later gets r too.
 *
 * <h2>Caveats</h2>
 * Replicas are bounded by the cells and their budgets, not by the function's expected concurrency; the
 * rate ignores time-of-day patterns (the histogram is
 * reported, not yet used); the budget per cell is a fixed share of its memory, not measured use.
 */
public final class PreloadPolicy {
    private PreloadPolicy() {}

    /**
     * One function as the policy sees it; {@code costMb} is what a pre-load of its model adds; {@code warm}:
     * it has an idle warm container; {@code running}: it has containers, all busy or starting.
     */
    public record Candidate(
            String path,
            String digest,
            String kind,
            int memoryMb,
            double ratePerSecond,
            long modelLoadMs,
            int costMb,
            boolean warm,
            boolean running) {}

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

    public record Snapshot(
            List<Candidate> functions, List<Cell> cells, Duration horizon, double minValueMs, int pressureMb) {
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
        List<Offload> offload = new ArrayList<>();
        Map<String, Map<String, Integer>> kept = new HashMap<>();
        record Held(String cell, String digest, double score, int cost) {}
        List<Held> held = new ArrayList<>();
        for (Cell c : s.cells()) {
            Map<String, Integer> keep = new HashMap<>();
            for (Map.Entry<String, Integer> p : c.preloaded().entrySet()) {
                Candidate f = byDigest.get(p.getKey());
                boolean stale = f == null || f.warm() || value(f, s.horizon()) < s.minValueMs() / 2;
                if (stale) {
                    offload.add(new Offload(c.id(), p.getKey()));
                } else {
                    keep.put(p.getKey(), p.getValue());
                    held.add(new Held(
                            c.id(), p.getKey(), value(f, s.horizon()) / Math.max(1, p.getValue()), p.getValue()));
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
        List<Candidate> wanted = new ArrayList<>();
        for (Candidate f : byDigest.values()) {
            if (!f.warm() && !f.running() && value(f, s.horizon()) >= s.minValueMs()) {
                wanted.add(f);
            }
        }
        wanted.sort(Comparator.comparingDouble((Candidate f) -> -value(f, s.horizon()) / Math.max(1, f.costMb()))
                .thenComparing(Candidate::digest));
        List<Cell> cells = new ArrayList<>(s.cells());
        cells.sort(Comparator.comparing(Cell::id));
        List<Preload> preload = new ArrayList<>();
        for (Candidate f : wanted) {
            for (Cell c : cells) {
                Map<String, Integer> holds = kept.get(c.id());
                int free = c.budgetMb()
                        - holds.values().stream().mapToInt(Integer::intValue).sum();
                boolean fits = c.kind().equals(f.kind()) && c.memoryMb() == f.memoryMb() && free >= f.costMb();
                if (fits && !holds.containsKey(f.digest())) {
                    preload.add(new Preload(c.id(), f.digest()));
                    holds.put(f.digest(), f.costMb());
                }
            }
        }
        return new Decision(preload, offload);
    }
}
