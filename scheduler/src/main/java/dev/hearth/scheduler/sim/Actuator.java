package dev.hearth.scheduler.sim;

import dev.hearth.scheduler.latency.StartKind;
import dev.hearth.scheduler.policy.Decision;
import dev.hearth.scheduler.sim.SimCluster.Container;
import dev.hearth.scheduler.sim.SimCluster.State;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Carries a decision out in the simulated cluster, function by function in trace order:
 * <ol>
 *   <li>CPU share: every warm container of the function takes the new share at once;
 *   <li>fewer warm than the target: start more ahead of requests, from a pre-loaded container of the
 *       function (pre-loaded start), else a stem cell (model load), else a new container (cold), where
 *       memory allows; nothing is evicted for them;
 *   <li>more warm than the target: idle ones idle for at least the keep-alive go, longest idle first;
 *       each becomes a pre-loaded container while the pre-loaded target is short, else is removed;
 *   <li>pre-loaded containers up to the target (a stem cell takes the model, else a new container),
 *       counting surplus warm containers as pre-loaded ones to be (they are demoted when their
 *       keep-alive ends), surplus pre-loaded ones removed;
 *   <li>stem cells per invoker up to the decision's count, surplus ones removed.
 * </ol>
 */
final class Actuator {
    private final SimCluster cluster;
    private final SimCluster.Events events;

    Actuator(SimCluster cluster, SimCluster.Events events) {
        this.cluster = cluster;
        this.events = events;
    }

    void apply(Decision d, Trace trace, double now) {
        for (int f = 0; f < trace.functions().size(); f++) {
            Decision.Target t = d.target(trace.functions().get(f).id());
            for (Container c : List.copyOf(cluster.byFn.get(f))) {
                if (SimCluster.isWarm(c.state) && c.share != t.cpuShare()) {
                    cluster.change(c, f, c.state, t.cpuShare(), now);
                }
            }
            int warm = cluster.count(f, SimCluster::isWarm);
            for (int k = warm; k < t.warm(); k++) {
                if (!startWarm(f, t.cpuShare(), now)) {
                    break;
                }
            }
            if (warm > t.warm()) {
                shrink(f, warm - t.warm(), t, now);
            }
            int preloaded = cluster.count(f, SimCluster::isPreloaded);
            int surplus = Math.max(0, cluster.count(f, SimCluster::isWarm) - t.warm());
            for (int k = preloaded + surplus; k < t.preloaded(); k++) {
                if (!preload(f, now)) {
                    break;
                }
            }
            for (int k = preloaded; k > t.preloaded(); k--) {
                Container c = cluster.first(f, State.PRELOADED);
                if (c == null) {
                    break;
                }
                cluster.remove(c, now);
            }
        }
        for (SimCluster.Invoker inv : cluster.invokers) {
            for (int k = cluster.stemCells(inv); k < d.prewarmedPerInvoker(); k++) {
                if (!cluster.startStemCell(inv, now, events)) {
                    break;
                }
            }
            for (int k = cluster.stemCells(inv); k > d.prewarmedPerInvoker(); k--) {
                Container c = cluster.stemCell(inv);
                if (c == null) {
                    break;
                }
                cluster.remove(c, now);
            }
        }
    }

    private boolean startWarm(int f, double share, double now) {
        Container c = cluster.first(f, State.PRELOADED);
        if (c != null) {
            cluster.change(c, f, State.STARTING, share, now);
            events.ready(c, now + cluster.startMs(f, StartKind.PRELOADED));
            return true;
        }
        c = cluster.stemCellFor(f);
        if (c != null) {
            cluster.change(c, f, State.STARTING, share, now);
            events.ready(c, now + cluster.startMs(f, StartKind.PREWARMED));
            return true;
        }
        SimCluster.Invoker inv = cluster.roomiest(f);
        if (inv == null) {
            return false;
        }
        c = cluster.create(inv, f, State.STARTING, share, now);
        events.ready(c, now + cluster.startMs(f, StartKind.COLD));
        return true;
    }

    private void shrink(int f, int excess, Decision.Target t, double now) {
        List<Container> idle = new ArrayList<>();
        for (Container c : cluster.byFn.get(f)) {
            if (c.state == State.IDLE && now - c.idleSince >= t.keepAliveMs()) {
                idle.add(c);
            }
        }
        idle.sort(Comparator.comparingDouble(c -> c.idleSince));
        for (int i = 0; i < idle.size() && excess > 0; i++, excess--) {
            Container c = idle.get(i);
            if (cluster.count(f, SimCluster::isPreloaded) < t.preloaded()) {
                cluster.change(c, f, State.PRELOADED, 0, now);
            } else {
                cluster.remove(c, now);
            }
        }
    }

    private boolean preload(int f, double now) {
        Container c = cluster.stemCellFor(f);
        if (c != null) {
            cluster.change(c, f, State.PRELOADING, 0, now);
            events.ready(c, now + cluster.startMs(f, StartKind.PREWARMED));
            return true;
        }
        SimCluster.Invoker inv = cluster.roomiest(f);
        if (inv == null) {
            return false;
        }
        c = cluster.create(inv, f, State.PRELOADING, 0, now);
        events.ready(c, now + cluster.profiles[f].preloadMs(cluster.config.tensorStore()));
        return true;
    }
}
