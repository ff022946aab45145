package dev.hearth.scheduler.live;

import dev.hearth.common.entity.Slo;
import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.HealthPing;
import dev.hearth.scheduler.latency.Measured;
import dev.hearth.scheduler.latency.ModelProfile;
import dev.hearth.scheduler.policy.FunctionState;
import dev.hearth.scheduler.policy.Snapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the scheduler knows of the platform, from {@code events} (arrivals and service times per
 * action) and {@code health} (invokers, their memory, which actions they hold warm or pre-loaded).
 * Thread-safe: feeds write, the loop reads. {@link #roll} closes the current rate window and answers
 * the policy's {@link Snapshot}; time is passed in.
 *
 * <p>Each action's SLO is the one its latest event carried (from the action's {@code slo} annotation,
 * {@link Slo#DEFAULT} without one). A deleted action ({@link ActionChange} on {@code entities}) is forgotten
 * at once — no target outlives it — and its events that arrive afterwards but were sent for calls made
 * before the delete ({@code arrivedAt} not after {@code changedAt}, both on the controller's clock) are
 * ignored for {@link #DELETED_KEPT_MS}; a call after the delete (the name made again) starts it afresh.
 * What it cannot know yet: how many containers an invoker holds per action (pings list actions, so each
 * invoker listing one counts as one container).
 */
final class LiveState {
    /** An invoker silent this long is out (the controllers' rule). */
    static final long HEALTH_TIMEOUT_MS = 10_000;
    /** How long a delete is remembered, to ignore the late events of calls made before it. */
    static final long DELETED_KEPT_MS = 10 * 60_000;

    private static final class Action {
        int arrivals;
        double serviceMs = Double.NaN;
        double initMs = Double.NaN;
        int memoryMb;
        String kind;
        Slo slo = Slo.DEFAULT;
        final ArrayDeque<Double> rates = new ArrayDeque<>();
        final InFlight inFlight = new InFlight();
        final ArrayDeque<Integer> peaks = new ArrayDeque<>();
    }

    record Invoker(int id, int userMemoryMb, long lastSeen, List<String> warm, List<String> preloaded) {}

    private final Map<String, Action> actions = new TreeMap<>();
    private final Map<Integer, Invoker> invokers = new TreeMap<>();
    private final Map<String, Double> shares = new TreeMap<>();
    /** Deleted actions → when (the controller's clock). */
    private final Map<String, Long> deleted = new HashMap<>();

    private final int historyWindows;

    LiveState(int historyWindows) {
        this.historyWindows = historyWindows;
    }

    synchronized void onEvent(ActivationEvent e) {
        Long gone = deleted.get(e.action());
        if (gone != null && e.arrivedAt() <= gone) {
            return; // a call made before its action was deleted
        }
        Action a = actions.computeIfAbsent(e.action(), k -> new Action());
        a.arrivals++;
        a.inFlight.add(e.arrivedAt(), Math.max(0, e.waitMs()) + Math.max(0, e.durationMs()));
        a.kind = e.kind();
        a.memoryMb = e.memoryMb();
        a.slo = e.slo(); // the latest: an action update may change it
        if (e.statusCode() == 0 && e.durationMs() >= 0) {
            double run = Math.max(1, e.durationMs() - Math.max(0, e.initMs()));
            a.serviceMs = Double.isNaN(a.serviceMs) ? run : a.serviceMs + 0.2 * (run - a.serviceMs);
        }
        if (e.initMs() > 0) {
            a.initMs = Double.isNaN(a.initMs) ? e.initMs() : a.initMs + 0.2 * (e.initMs() - a.initMs);
        }
    }

    /** An action was updated or deleted; a delete drops all that is known of it. */
    synchronized void onChange(ActionChange c) {
        if (c.change() != ActionChange.Change.DELETED) {
            return; // an update keeps the action's load; its next events bring the new kind and memory
        }
        actions.remove(c.action());
        shares.remove(c.action());
        deleted.put(c.action(), c.changedAt());
        deleted.values().removeIf(at -> at < c.changedAt() - DELETED_KEPT_MS);
    }

    synchronized void onPing(HealthPing p, long now) {
        invokers.put(p.invoker(), new Invoker(p.invoker(), p.userMemoryMb(), now, p.warm(), p.preloaded()));
    }

    /** The shares the last decision gave, so the next snapshot reports them. */
    synchronized void shares(Map<String, Double> byAction) {
        shares.clear();
        shares.putAll(byAction);
    }

    synchronized List<Invoker> healthy(long now) {
        return invokers.values().stream()
                .filter(i -> now - i.lastSeen() <= HEALTH_TIMEOUT_MS)
                .toList();
    }

    /**
     * Closes the window that ends now (its arrivals / interval become each action's newest rate) and
     * answers the snapshot. With no healthy invoker the cluster is empty.
     */
    synchronized Snapshot roll(long now, long intervalMs, double coresPerInvoker) {
        List<Invoker> up = healthy(now);
        List<FunctionState> functions = new ArrayList<>();
        for (Map.Entry<String, Action> e : actions.entrySet()) {
            Action a = e.getValue();
            a.rates.addLast(a.arrivals * 1000.0 / intervalMs);
            a.arrivals = 0;
            a.peaks.addLast(a.inFlight.peakAndClear());
            while (a.rates.size() > historyWindows) {
                a.rates.removeFirst();
                a.peaks.removeFirst();
            }
            int warm = 0;
            int preloaded = 0;
            for (Invoker i : up) {
                warm += i.warm().contains(e.getKey()) ? 1 : 0;
                preloaded += i.preloaded().contains(e.getKey()) ? 1 : 0;
            }
            double[] rates = a.rates.stream().mapToDouble(Double::doubleValue).toArray();
            int[] peaks = a.peaks.stream().mapToInt(Integer::intValue).toArray();
            functions.add(new FunctionState(
                    e.getKey(),
                    profile(a),
                    a.slo,
                    rates,
                    peaks,
                    warm,
                    preloaded,
                    shares.getOrDefault(e.getKey(), 1.0)));
        }
        double memory = up.stream().mapToInt(Invoker::userMemoryMb).average().orElse(0);
        return new Snapshot(now, intervalMs, new Snapshot.Cluster(up.size(), memory, coresPerInvoker), functions);
    }

    /**
     * A profile from what events show: the service time (duration less init) as the time at one core,
     * the measured model-load figure for model kinds, private memory as the action's memory less runtime
     * and engine.
     */
    private static ModelProfile profile(Action a) {
        boolean model = a.kind != null && a.kind.startsWith("djl");
        double service = Double.isNaN(a.serviceMs) ? Measured.RESNET18.serviceMsAtOneCore() : a.serviceMs;
        double privateMb = Math.max(10, a.memoryMb - Measured.RUNTIME_MB - Measured.ENGINE_MB);
        return new ModelProfile(
                a.kind == null ? "unknown" : a.kind,
                service,
                model ? 0.6 : 0.1,
                model ? Measured.RESNET18.modelLoadMs() : 5,
                model ? Measured.RESNET18.firstInferenceExtraMs() : 1,
                0,
                privateMb);
    }
}
