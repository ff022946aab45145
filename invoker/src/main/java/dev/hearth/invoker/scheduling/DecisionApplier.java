package dev.hearth.invoker.scheduling;

import dev.hearth.common.message.SchedulingDecision;
import dev.hearth.invoker.pool.PrewarmTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one invoker takes from the scheduler's decisions, as a pure function: its stem-cell targets and
 * the actions it is asked to keep pre-loaded, or its configured defaults when the last decision is stale.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>Only the entries for this invoker count; a decision replaces the previous one whole.</li>
 *   <li>Stem cells: each {@code Prewarm} of this invoker becomes a target; memory 0 means the size the
 *       invoker is configured with for that kind (else 1024 MB for model kinds, 256 MB for {@code java}).
 *       A decision with no stem cells for this invoker means none.</li>
 *   <li>Pre-loads: every action with {@code preloaded > 0} for this invoker.</li>
 *   <li>Stale — no decision yet, or the last one older than three of its intervals at {@code now}:
 *       the configured stem cells and no requested pre-loads (the pre-loader still decides on its own).</li>
 * </ul>
 *
 * <h2>Worked example</h2>
 * Configured: one {@code djl:pytorch} 1024 MB stem cell. A decision at 10:00:00 with interval 30 s
 * gives invoker 0 {@code Prewarm(0, djl:pytorch, 0, 3)} and {@code FunctionTarget(guest/r, 0, 1, 2, ...)}:
 * at 10:00:30 invoker 0 keeps three 1024 MB model stem cells and asks the pre-loader for
 * {@code guest/r}; at 10:01:31 (more than 90 s later, no newer decision) it is back to one stem cell.
 *
 * <h2>Caveats</h2>
 * Warm targets are {@link WarmTargets}' job (keep-alive spares them, {@code WarmStarter} starts the missing
 * ones ahead of demand). Keep-alive per function and CPU shares are not applied:
 * containers keep the CPU the factory gave them.
 */
public final class DecisionApplier {
    private DecisionApplier() {}

    public record Applied(List<PrewarmTarget> prewarm, Set<String> preload, boolean stale) {
        public Applied {
            prewarm = List.copyOf(prewarm);
            preload = Set.copyOf(preload);
        }
    }

    public static Applied apply(SchedulingDecision last, int invoker, List<PrewarmTarget> configured, Instant now) {
        if (last == null
                || Instant.ofEpochMilli(last.decidedAt())
                        .plus(Duration.ofMillis(3 * last.intervalMs()))
                        .isBefore(now)) {
            return new Applied(configured, Set.of(), true);
        }
        List<PrewarmTarget> prewarm = new ArrayList<>();
        for (SchedulingDecision.Prewarm p : last.prewarm()) {
            if (p.invoker() == invoker && p.count() > 0) {
                int memory = p.memoryMb() > 0 ? p.memoryMb() : configuredSize(configured, p.kind());
                prewarm.add(new PrewarmTarget(p.kind(), memory, p.count()));
            }
        }
        Set<String> preload = new TreeSet<>();
        for (SchedulingDecision.FunctionTarget f : last.functions()) {
            if (f.invoker() == invoker && f.preloaded() > 0) {
                preload.add(f.action());
            }
        }
        return new Applied(prewarm, preload, false);
    }

    static int configuredSize(List<PrewarmTarget> configured, String kind) {
        for (PrewarmTarget t : configured) {
            if (t.kind().equals(kind)) {
                return t.memoryMb();
            }
        }
        return kind.startsWith("djl:") ? 1024 : 256;
    }
}
