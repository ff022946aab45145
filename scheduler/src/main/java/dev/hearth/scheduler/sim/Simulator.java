package dev.hearth.scheduler.sim;

import dev.hearth.scheduler.latency.ModelProfile;
import dev.hearth.scheduler.latency.StartKind;
import dev.hearth.scheduler.policy.Decision;
import dev.hearth.scheduler.policy.FunctionState;
import dev.hearth.scheduler.policy.Policy;
import dev.hearth.scheduler.policy.Snapshot;
import dev.hearth.scheduler.sim.SimCluster.Container;
import dev.hearth.scheduler.sim.SimCluster.State;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Runs one policy over one trace: a discrete-event simulation in simulated milliseconds, fully
 * deterministic (no clock, no threads; the same inputs give the same result).
 *
 * <p>A request for function f takes an idle warm container of f (start kind warm) if there is one.
 * Otherwise it queues for f's busy containers when its expected wait (queue position x service time /
 * busy containers) is shorter than the quickest start it could get, or when f has containers already
 * starting for no request; else it waits for a container of f that is loading its model, when that
 * is quicker than any start; else it takes, in order: a pre-loaded container (pre-loaded start: {@code
 * /init} and a first inference); a stem cell with room for the model (pre-warmed start: model load); a
 * new container on the invoker with the fewest reserved cores that has the memory (cold start), evicting idle containers of
 * other functions least recently used first if it must; else it queues. Every {@code intervalMs} the policy gets a
 * {@link Snapshot} and its {@link Decision} is carried out by {@link Actuator}. A busy container runs at
 * its CPU share, scaled down when the busy shares on its invoker exceed the cores (CFS shares).
 *
 * <p>Caveats: concurrency is 1 per container; container placement is the simulator's (fewest
 * reserved cores, then most free memory), not the policy's; network and platform overhead are inside the measured service times.
 */
public final class Simulator {
    private static final int READY = 0;
    private static final int DONE = 1;
    private static final int TICK = 2;
    private static final int EXPIRE = 3;

    /** {@code token}: for EXPIRE, the idle-since time it was scheduled for (stale if it changed). */
    private record Event(double at, long seq, int type, Container container, double token) {}

    private final SimConfig config;
    private final Trace trace;
    private final Arrivals arrivals;
    private final Policy policy;
    private final SimCluster cluster;
    private final ModelProfile[] profiles;
    private final PriorityQueue<Event> events =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Double.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private final List<ArrayDeque<Integer>> queues = new ArrayList<>();
    private final int[] windowCounts;
    private final List<double[]> history = new ArrayList<>();
    private final double[] shares;
    private Decision decision;
    private final float[] latency;
    private final byte[] kind;
    private final double end;
    private final Actuator actuator;
    private final double[] warmSeries;
    private final double[] preloadedSeries;
    private final double[] coresSeries;
    private final int[] samples;
    private long seq;
    private double now;

    Simulator(SimConfig config, Trace trace, Arrivals arrivals, Policy policy) {
        this.config = config;
        this.trace = trace;
        this.arrivals = arrivals;
        this.policy = policy;
        int n = trace.functions().size();
        this.profiles = trace.functions().stream().map(Trace.Function::profile).toArray(ModelProfile[]::new);
        this.end = trace.minutes() * 60_000.0;
        this.cluster = new SimCluster(config, profiles, end);
        this.actuator = new Actuator(cluster, this::scheduleReady);
        for (int f = 0; f < n; f++) {
            queues.add(new ArrayDeque<>());
        }
        this.windowCounts = new int[n];
        this.shares = new double[n];
        Arrays.fill(shares, 1.0);
        this.latency = new float[arrivals.size()];
        this.kind = new byte[arrivals.size()];
        this.warmSeries = new double[trace.minutes()];
        this.preloadedSeries = new double[trace.minutes()];
        this.coresSeries = new double[trace.minutes()];
        this.samples = new int[trace.minutes()];
    }

    /** Runs {@code policy} on {@code trace}; arrivals are made from the configuration's seed. */
    public static RunResult run(SimConfig config, Trace trace, Policy policy) {
        return new Simulator(config, trace, Arrivals.of(trace, config.seed()), policy).run();
    }

    RunResult run() {
        for (SimCluster.Invoker inv : cluster.invokers) {
            for (int i = 0; i < Decision.PLATFORM_PREWARMED; i++) {
                cluster.startStemCell(inv, 0, this::scheduleReady);
            }
        }
        decision = new Decision("none", 0, java.util.Map.of(), Decision.PLATFORM_PREWARMED);
        schedule(config.intervalMs(), TICK, null);
        int next = 0;
        while (next < arrivals.size() || !events.isEmpty()) {
            Event e = events.peek();
            if (next < arrivals.size() && (e == null || arrivals.at()[next] <= e.at)) {
                now = arrivals.at()[next];
                arrive(next++);
                continue;
            }
            events.poll();
            now = e.at;
            switch (e.type) {
                case READY -> ready(e.container);
                case DONE -> done(e.container);
                case EXPIRE -> expire(e.container, e.token);
                default -> tick();
            }
        }
        for (ArrayDeque<Integer> q : queues) {
            for (int r : q) {
                latency[r] = (float) (now - arrivals.at()[r]);
                kind[r] = (byte) StartKind.COLD.ordinal();
            }
        }
        return Results.of(
                trace,
                policy.name(),
                arrivals,
                latency,
                kind,
                cluster.cost(end) / 3600,
                cluster.meanCores(end),
                cluster.meanGb(end),
                warmSeries,
                preloadedSeries,
                coresSeries,
                samples);
    }

    private void schedule(double at, int type, Container c) {
        events.add(new Event(at, seq++, type, c, 0));
    }

    private void scheduleReady(Container c, double at) {
        c.readyAt = at;
        schedule(at, READY, c);
    }

    private void arrive(int r) {
        int f = arrivals.fn()[r];
        windowCounts[f]++;
        Container c = cluster.first(f, State.IDLE);
        if (c != null) {
            serve(c, r, StartKind.WARM, 0);
            return;
        }
        int busy = 0;
        int startingForNobody = 0;
        for (Container s : cluster.byFn.get(f)) {
            busy += s.state == State.BUSY ? 1 : 0;
            startingForNobody += s.state == State.STARTING && s.request < 0 ? 1 : 0;
        }
        ArrayDeque<Integer> queue = queues.get(f);
        c = cluster.first(f, State.PRELOADED);
        double start = c != null
                ? cluster.startMs(f, StartKind.PRELOADED)
                : cluster.stemCellFor(f) != null
                        ? cluster.startMs(f, StartKind.PREWARMED)
                        : cluster.startMs(f, StartKind.COLD);
        double expectedWait =
                busy == 0 ? Double.MAX_VALUE : (queue.size() + 1) * profiles[f].serviceMs(shares[f]) / busy;
        Container loading = null;
        if (c == null) {
            for (Container s : cluster.byFn.get(f)) {
                if (s.state == State.PRELOADING && s.request < 0 && (loading == null || s.readyAt < loading.readyAt)) {
                    loading = s;
                }
            }
        }
        double viaLoading =
                loading == null ? Double.MAX_VALUE : loading.readyAt - now + cluster.startMs(f, StartKind.PRELOADED);
        if (queue.size() < startingForNobody || expectedWait <= Math.min(start, viaLoading)) {
            queue.add(r);
        } else if (viaLoading < start) {
            loading.request = r;
            kind[r] = (byte) StartKind.PRELOADED.ordinal();
        } else if (c != null) {
            serve(c, r, StartKind.PRELOADED, start);
        } else if (!startFor(f, r)) {
            queue.add(r);
        }
    }

    /** A container started on the request path for request r; false when there is no room at all. */
    private boolean startFor(int f, int r) {
        Container stem = cluster.stemCellFor(f);
        if (stem != null) {
            SimCluster.Invoker inv = stem.invoker;
            cluster.change(stem, f, State.STARTING, shares[f], now);
            stem.request = r;
            kind[r] = (byte) StartKind.PREWARMED.ordinal();
            scheduleReady(stem, now + cluster.startMs(f, StartKind.PREWARMED));
            cluster.startStemCell(inv, now, this::scheduleReady);
            return true;
        }
        SimCluster.Invoker inv = cluster.roomiest(f);
        if (inv == null) {
            inv = cluster.evictFor(f, now);
        }
        if (inv == null) {
            return false;
        }
        Container c = cluster.create(inv, f, State.STARTING, shares[f], now);
        c.request = r;
        kind[r] = (byte) StartKind.COLD.ordinal();
        scheduleReady(c, now + cluster.startMs(f, StartKind.COLD));
        return true;
    }

    private void serve(Container c, int r, StartKind k, double delayMs) {
        kind[r] = (byte) k.ordinal();
        startService(c, r, delayMs);
    }

    private void startService(Container c, int r, double delayMs) {
        cluster.change(c, c.fn, State.BUSY, shares[c.fn], now);
        SimCluster.Invoker inv = c.invoker;
        double effective = c.share * Math.min(1, config.cores() / (inv.busyShares + c.share));
        inv.busyShares += c.share;
        c.runShare = c.share;
        c.request = r;
        double service = profiles[c.fn].serviceMs(effective) * arrivals.noise()[r];
        schedule(now + delayMs + service, DONE, c);
    }

    private void ready(Container c) {
        if (c.removed) {
            return;
        }
        switch (c.state) {
            case PREWARMING -> cluster.change(c, -1, State.PREWARMED, 0, now);
            case PRELOADING -> {
                cluster.change(c, c.fn, State.PRELOADED, 0, now);
                Integer r = c.request >= 0
                        ? Integer.valueOf(c.request)
                        : queues.get(c.fn).poll();
                c.request = -1;
                if (r != null) {
                    serve(c, r, StartKind.PRELOADED, cluster.startMs(c.fn, StartKind.PRELOADED));
                }
            }
            case STARTING -> {
                if (c.request >= 0) {
                    startService(c, c.request, 0);
                } else {
                    idle(c);
                }
            }
            default -> throw new IllegalStateException("ready in state " + c.state);
        }
    }

    private void done(Container c) {
        int r = c.request;
        latency[r] = (float) (now - arrivals.at()[r]);
        c.invoker.busyShares -= c.runShare;
        c.request = -1;
        idle(c);
    }

    private void idle(Container c) {
        cluster.change(c, c.fn, State.IDLE, shares[c.fn], now);
        c.idleSince = now;
        Integer r = queues.get(c.fn).poll();
        if (r != null) {
            startService(c, r, 0);
        } else {
            long keepAlive = target(c.fn).keepAliveMs();
            events.add(new Event(now + keepAlive, seq++, EXPIRE, c, c.idleSince));
        }
    }

    private Decision.Target target(int f) {
        return decision.target(trace.functions().get(f).id());
    }

    /**
     * A container's keep-alive ran out: if it is still idle and its function has more warm containers
     * than the target, it becomes pre-loaded (while the pre-loaded target is short) or goes.
     */
    private void expire(Container c, double idleSince) {
        if (c.removed || c.state != State.IDLE || c.idleSince != idleSince) {
            return;
        }
        Decision.Target t = target(c.fn);
        if (cluster.count(c.fn, SimCluster::isWarm) <= t.warm()) {
            return;
        }
        if (cluster.count(c.fn, SimCluster::isPreloaded) < t.preloaded()) {
            cluster.change(c, c.fn, State.PRELOADED, 0, now);
        } else {
            cluster.remove(c, now);
        }
    }

    private void tick() {
        int n = windowCounts.length;
        double[] rates = new double[n];
        for (int f = 0; f < n; f++) {
            rates[f] = windowCounts[f] * 1000.0 / config.intervalMs();
            windowCounts[f] = 0;
        }
        history.add(rates);
        if (history.size() > config.historyWindows()) {
            history.removeFirst();
        }
        List<FunctionState> states = new ArrayList<>(n);
        for (int f = 0; f < n; f++) {
            double[] h = new double[history.size()];
            for (int w = 0; w < h.length; w++) {
                h[w] = history.get(w)[f];
            }
            Trace.Function tf = trace.functions().get(f);
            states.add(new FunctionState(
                    tf.id(),
                    tf.profile(),
                    tf.slo(),
                    h,
                    cluster.count(f, SimCluster::isWarm),
                    cluster.count(f, SimCluster::isPreloaded),
                    shares[f]));
        }
        Snapshot.Cluster budget = new Snapshot.Cluster(config.invokers(), config.memoryMb(), config.cores());
        Decision d = policy.decide(new Snapshot((long) now, config.intervalMs(), budget, states));
        decision = d;
        for (int f = 0; f < n; f++) {
            shares[f] = d.target(trace.functions().get(f).id()).cpuShare();
        }
        actuator.apply(d, trace, now);
        for (int f = 0; f < n; f++) {
            ArrayDeque<Integer> q = queues.get(f);
            boolean starting = cluster.count(f, s -> s == State.STARTING) > 0;
            while (!starting && !q.isEmpty() && startFor(f, q.peek())) {
                q.poll();
            }
        }
        sample();
        if (now + config.intervalMs() < end) {
            schedule(now + config.intervalMs(), TICK, null);
        }
    }

    private void sample() {
        int m = (int) Math.min(trace.minutes() - 1, now / 60_000);
        int warm = 0;
        int preloaded = 0;
        for (int f = 0; f < profiles.length; f++) {
            warm += cluster.count(f, SimCluster::isWarm);
            preloaded += cluster.count(f, SimCluster::isPreloaded);
        }
        warmSeries[m] += warm;
        preloadedSeries[m] += preloaded;
        coresSeries[m] += cluster.reservedCores();
        samples[m]++;
    }
}
