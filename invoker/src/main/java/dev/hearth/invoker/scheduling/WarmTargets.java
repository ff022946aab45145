package dev.hearth.invoker.scheduling;

import dev.hearth.common.message.SchedulingDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The warm targets one invoker takes from the scheduler, and what they mean for its pool, as pure
 * functions: which containers to start ahead of demand and how many of each action keep-alive must spare.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li>{@link #targets}: {@code warm} of every {@code FunctionTarget} of this invoker with {@code warm > 0};
 *       none when the decision is missing or stale (older than three of its intervals at {@code now}).</li>
 *   <li>{@link #plan}: only actions the invoker has run count — it needs their code digest, kind and
 *       memory from a past activation to start one without a call. For each, {@code protect} is the
 *       target W (keep-alive reaps no idle container of the action while the action has W or fewer
 *       initialised containers) and {@code start} is {@code W - initialised} when positive (busy
 *       containers count as initialised; starting is the pool's job, within memory, never evicting
 *       a busy container). Actions without a target get neither: normal keep-alive.</li>
 * </ul>
 *
 * <h2>Worked example</h2>
 * A decision at 10:00:00 with interval 30 s gives invoker 0 {@code FunctionTarget(guest/r, 0, 3, ...)},
 * {@code FunctionTarget(guest/s, 0, 2, ...)} and {@code FunctionTarget(guest/new, 0, 1, ...)}. At 10:00:30
 * the invoker has run {@code guest/r} and {@code guest/s}, holds one initialised {@code guest/r} and
 * three {@code guest/s}: start two {@code guest/r}; protect three {@code guest/r} and two
 * {@code guest/s} (the third {@code guest/s} returns to normal keep-alive); ignore {@code guest/new}.
 * At 10:01:31, with no newer decision, there are no targets: nothing started, nothing protected.
 *
 * <p>{@link #cpuShares}: the same decision's {@code cpuShare} per action with a warm target (guest/r 0.5,
 * guest/s 2.0 in a decision that says so); at 10:01:31 none, and every container is back to 1.0.
 *
 * {@link #keepAlive}: each action's {@code keepAliveMs} from the same decision (60 s for every action of the
 * example), none when stale.
 *
 * <h2>Caveats</h2>
 * Started containers are warm (initialised and
 * paused-when-idle like any other), not pre-loaded.
 */
public final class WarmTargets {
    private WarmTargets() {}

    /** Containers to start per action, and the count per action that keep-alive must not reap below. */
    public record Plan(Map<String, Integer> start, Map<String, Integer> protect) {
        public Plan {
            start = Map.copyOf(start);
            protect = Map.copyOf(protect);
        }
    }

    /** Action → warm target for {@code invoker} from the last decision; empty when missing or stale. */
    public static Map<String, Integer> targets(SchedulingDecision last, int invoker, Instant now) {
        Map<String, Integer> warm = new TreeMap<>();
        if (stale(last, now)) {
            return warm;
        }
        for (SchedulingDecision.FunctionTarget f : last.functions()) {
            if (f.invoker() == invoker && f.warm() > 0) {
                warm.merge(f.action(), f.warm(), Math::max);
            }
        }
        return warm;
    }

    /**
     * Action → CPU share for {@code invoker} from the last decision (its warm containers' share of the
     * factory's default weight); empty when missing or stale, so every container goes back to 1.0.
     */
    public static Map<String, Double> cpuShares(SchedulingDecision last, int invoker, Instant now) {
        Map<String, Double> shares = new TreeMap<>();
        if (stale(last, now)) {
            return shares;
        }
        for (SchedulingDecision.FunctionTarget f : last.functions()) {
            if (f.invoker() == invoker && f.warm() > 0) {
                shares.put(f.action(), f.cpuShare());
            }
        }
        return shares;
    }

    /**
     * Action → keep-alive for {@code invoker} from the last decision (how long its idle containers above
     * the warm target stay); empty when missing or stale, so the pool's idle timeout applies to all.
     */
    public static Map<String, Duration> keepAlive(SchedulingDecision last, int invoker, Instant now) {
        Map<String, Duration> out = new TreeMap<>();
        if (stale(last, now)) {
            return out;
        }
        for (SchedulingDecision.FunctionTarget f : last.functions()) {
            if (f.invoker() == invoker && f.keepAliveMs() > 0) {
                out.merge(f.action(), Duration.ofMillis(f.keepAliveMs()), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
        }
        return out;
    }

    private static boolean stale(SchedulingDecision last, Instant now) {
        return last == null
                || Instant.ofEpochMilli(last.decidedAt())
                        .plus(Duration.ofMillis(3 * last.intervalMs()))
                        .isBefore(now);
    }

    /**
     * @param targets action → warm target (from {@link #targets})
     * @param initialised action → containers holding its code (idle, paused or busy)
     * @param known actions this invoker has run and can start without a call
     */
    public static Plan plan(Map<String, Integer> targets, Map<String, Integer> initialised, Set<String> known) {
        Map<String, Integer> start = new TreeMap<>();
        Map<String, Integer> protect = new TreeMap<>();
        targets.forEach((action, warm) -> {
            if (warm <= 0 || !known.contains(action)) {
                return;
            }
            protect.put(action, warm);
            int missing = warm - initialised.getOrDefault(action, 0);
            if (missing > 0) {
                start.put(action, missing);
            }
        });
        return new Plan(start, protect);
    }
}
