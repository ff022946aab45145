package dev.hearth.scheduler.sim;

import dev.hearth.scheduler.latency.Measured;
import dev.hearth.scheduler.latency.ModelProfile;
import dev.hearth.scheduler.latency.StartKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The simulated cluster's state and its accounting: invokers, containers by state, memory (shared
 * weights charged once per invoker when the tensor store is on) and reserved cores, and the
 * resource·time cost. Every state change goes through {@link #change} so the accounting cannot drift.
 *
 * <p>Costs, the same for every policy: a container holds memory in every state (runtime and engine;
 * plus the model's private memory once it has one); a warm container (starting, idle or busy) also
 * is allocated its CPU share, idle or not, as a pod's CPU request is; pre-warmed and pre-loaded
 * containers are paused and hold memory only. Allocation is what is charged, even where it exceeds an
 * invoker's cores (reactive policies do that; their requests then run slower under CPU contention).
 * Cost = core-seconds + 0.11 x GB-seconds ({@link Measured#COST_PER_GB_SECOND}).
 */
final class SimCluster {
    enum State {
        PREWARMING,
        PREWARMED,
        PRELOADING,
        PRELOADED,
        STARTING,
        IDLE,
        BUSY
    }

    static final class Container {
        final Invoker invoker;
        int fn = -1;
        State state;
        double share;
        double runShare;
        double idleSince;
        double readyAt;
        int request = -1;
        boolean removed;

        Container(Invoker invoker) {
            this.invoker = invoker;
        }
    }

    static final class Invoker {
        final int id;
        double usedMb;
        double reservedCores;
        double busyShares;
        final int[] modelRefs;
        final List<Container> containers = new ArrayList<>();

        Invoker(int id, int functions) {
            this.id = id;
            this.modelRefs = new int[functions];
        }
    }

    /** Where a start puts its "ready" event. */
    interface Events {
        void ready(Container c, double at);
    }

    final SimConfig config;
    final ModelProfile[] profiles;
    final Invoker[] invokers;
    final List<List<Container>> byFn = new ArrayList<>();
    private final double costEnd;
    private double reservedCores;
    private double usedMb;
    private double cost;
    private double coreSeconds;
    private double gbSeconds;
    private double costAt;

    SimCluster(SimConfig config, ModelProfile[] profiles, double costEnd) {
        this.config = config;
        this.profiles = profiles;
        this.costEnd = costEnd;
        this.invokers = new Invoker[config.invokers()];
        for (int i = 0; i < invokers.length; i++) {
            invokers[i] = new Invoker(i, profiles.length);
        }
        for (int f = 0; f < profiles.length; f++) {
            byFn.add(new ArrayList<>());
        }
    }

    static final double STEM_MB = Measured.RUNTIME_MB + Measured.ENGINE_MB;

    private static boolean hasModel(State s) {
        return s != State.PREWARMING && s != State.PREWARMED;
    }

    static boolean isWarm(State s) {
        return s == State.STARTING || s == State.IDLE || s == State.BUSY;
    }

    static boolean isPreloaded(State s) {
        return s == State.PRELOADING || s == State.PRELOADED;
    }

    private double memOf(Container c) {
        return hasModel(c.state) ? profiles[c.fn].residentMb(config.tensorStore()) : STEM_MB;
    }

    private void accrue(double now) {
        double t = Math.min(now, costEnd);
        if (t > costAt) {
            double cores = reservedCores;
            double seconds = (t - costAt) / 1000;
            cost += seconds * (cores + usedMb / 1000 * Measured.COST_PER_GB_SECOND);
            coreSeconds += seconds * cores;
            gbSeconds += seconds * usedMb / 1000;
            costAt = t;
        }
    }

    private void account(Container c, int sign) {
        double mem = memOf(c);
        if (hasModel(c.state) && config.tensorStore()) {
            int before = c.invoker.modelRefs[c.fn];
            c.invoker.modelRefs[c.fn] += sign;
            if ((sign > 0 && before == 0) || (sign < 0 && before == 1)) {
                mem += profiles[c.fn].weightsMb();
            }
        }
        c.invoker.usedMb += sign * mem;
        usedMb += sign * mem;
        if (isWarm(c.state)) {
            reservedCores += sign * c.share;
            c.invoker.reservedCores += sign * c.share;
        }
    }

    Container create(Invoker inv, int fn, State state, double share, double now) {
        accrue(now);
        Container c = new Container(inv);
        c.fn = fn;
        c.state = state;
        c.share = share;
        c.idleSince = now;
        account(c, +1);
        inv.containers.add(c);
        if (fn >= 0) {
            byFn.get(fn).add(c);
        }
        return c;
    }

    void change(Container c, int fn, State state, double share, double now) {
        accrue(now);
        account(c, -1);
        if (c.fn != fn) {
            if (c.fn >= 0) {
                byFn.get(c.fn).remove(c);
            }
            if (fn >= 0) {
                byFn.get(fn).add(c);
            }
        }
        c.fn = fn;
        c.state = state;
        c.share = share;
        account(c, +1);
    }

    void remove(Container c, double now) {
        accrue(now);
        account(c, -1);
        c.removed = true;
        c.invoker.containers.remove(c);
        if (c.fn >= 0) {
            byFn.get(c.fn).remove(c);
        }
    }

    double free(Invoker inv) {
        return config.memoryMb() - inv.usedMb;
    }

    /** Memory {@code fn}'s model adds on {@code inv}: a new container, or a stem cell turned into one. */
    double need(Invoker inv, int fn, boolean fromStemCell) {
        double mem = profiles[fn].residentMb(config.tensorStore()) - (fromStemCell ? STEM_MB : 0);
        return mem + (config.tensorStore() && inv.modelRefs[fn] == 0 ? profiles[fn].weightsMb() : 0);
    }

    Container stemCell(Invoker inv) {
        for (Container c : inv.containers) {
            if (c.state == State.PREWARMED) {
                return c;
            }
        }
        return null;
    }

    int stemCells(Invoker inv) {
        int n = 0;
        for (Container c : inv.containers) {
            n += c.state == State.PREWARMED || c.state == State.PREWARMING ? 1 : 0;
        }
        return n;
    }

    Container first(int fn, State state) {
        for (Container c : byFn.get(fn)) {
            if (c.state == state) {
                return c;
            }
        }
        return null;
    }

    int count(int fn, java.util.function.Predicate<State> which) {
        int n = 0;
        for (Container c : byFn.get(fn)) {
            n += which.test(c.state) ? 1 : 0;
        }
        return n;
    }

    /** Placement order: fewest reserved cores first, then most free memory. */
    private boolean before(Invoker a, Invoker b) {
        if (a.reservedCores != b.reservedCores) {
            return a.reservedCores < b.reservedCores;
        }
        return free(a) > free(b);
    }

    /** A stem cell with room for the model, on the least loaded invoker that has one; else null. */
    Container stemCellFor(int fn) {
        Container best = null;
        for (Invoker inv : invokers) {
            Container c = stemCell(inv);
            if (c != null && free(inv) >= need(inv, fn, true) && (best == null || before(inv, best.invoker))) {
                best = c;
            }
        }
        return best;
    }

    /** The least loaded invoker (reserved cores, then free memory) with memory for a new container of fn. */
    Invoker roomiest(int fn) {
        Invoker best = null;
        for (Invoker inv : invokers) {
            if (free(inv) >= need(inv, fn, false) && (best == null || before(inv, best))) {
                best = inv;
            }
        }
        return best;
    }

    /**
     * Frees memory for a new container of fn by removing idle containers of other functions, then
     * pre-loaded ones, then stem cells, least recently used first, on the invoker where that frees
     * enough; null when none can.
     */
    Invoker evictFor(int fn, double now) {
        for (Invoker inv : invokers) {
            List<Container> victims = new ArrayList<>();
            for (Container c : inv.containers) {
                if (c.fn != fn && (c.state == State.IDLE || c.state == State.PRELOADED || c.state == State.PREWARMED)) {
                    victims.add(c);
                }
            }
            victims.sort(Comparator.comparingInt((Container c) -> c.state == State.IDLE ? 0 : 1)
                    .thenComparingDouble(c -> c.idleSince));
            double freed = free(inv);
            int k = 0;
            while (k < victims.size() && freed < need(inv, fn, false)) {
                freed += victims.get(k).state == State.PREWARMED
                        ? STEM_MB
                        : profiles[victims.get(k).fn].residentMb(config.tensorStore());
                k++;
            }
            if (freed >= need(inv, fn, false)) {
                for (int i = 0; i < k; i++) {
                    remove(victims.get(i), now);
                }
                if (free(inv) >= need(inv, fn, false)) {
                    return inv;
                }
            }
        }
        return null;
    }

    /** Starts a stem cell on inv (container, runtime and engine) if memory allows. */
    boolean startStemCell(Invoker inv, double now, Events events) {
        if (free(inv) < STEM_MB) {
            return false;
        }
        Container c = create(inv, -1, State.PREWARMING, 0, now);
        events.ready(c, now + Measured.CONTAINER_START_MS + Measured.RUNTIME_START_MS + Measured.ENGINE_INIT_MS);
        return true;
    }

    double startMs(int fn, StartKind kind) {
        return profiles[fn].startMs(kind, config.tensorStore());
    }

    double cost(double now) {
        accrue(now);
        return cost;
    }

    /** Time-weighted mean of the cores allocated to warm containers up to {@code end}. */
    double meanCores(double end) {
        accrue(end);
        return coreSeconds * 1000 / end;
    }

    /** Time-weighted mean of the memory held, GB. */
    double meanGb(double end) {
        accrue(end);
        return gbSeconds * 1000 / end;
    }

    double reservedCores() {
        return reservedCores;
    }

    double usedGb() {
        return usedMb / 1000;
    }
}
