package dev.hearth.controller.loadbalancer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Where an activation goes: OpenWhisk's sharding container-pool balancing, as pure functions of an
 * immutable {@link Snapshot} with the time passed in.
 *
 * <h2>Algorithm</h2>
 * <ol>
 * <li>The invokers are indexed {@code 0..n-1}, {@code n} = highest invoker id seen + 1; an index no
 * invoker pinged from is never healthy. Healthy = pinged within the health timeout.</li>
 * <li>Each invoker gives this controller {@code userMemoryMb / controllers} MB of slots; an activation
 * holds {@code memory} MB of its invoker's slots from dispatch until its completion arrives (or, if
 * the completion is lost, until its deadline: action timeout plus a grace, see {@link #expired}).</li>
 * <li>{@code hash} = a non-negative hash of {@code namespace + "/" + action path}. The home invoker
 * is {@code hash mod n}; the step is {@code coprimes(n)[hash mod |coprimes(n)|]}, where
 * {@code coprimes(n)} are the numbers {@code 1..n} co-prime with {@code n}. Walking from home by the
 * step visits every invoker exactly once, and different actions walk in different orders, so a busy
 * action does not pile onto the same second choice as every other.</li>
 * <li><b>Proactive routing first</b>: among healthy invokers with free slot memory for the action,
 * those whose last ping says they hold it — an idle warm container of the action's path, or its code
 * digest pre-loaded in a stem cell — win; the least busy of them (most free slot memory, then the
 * lowest id). Only when none holds it does the walk below decide.</li>
 * <li>Take the first healthy invoker on the walk whose free slot memory is at least the action's
 * memory.</li>
 * <li>If none has room, force onto a healthy invoker chosen uniformly at random (its slots go over
 * capacity; the invoker queues). If none is healthy, there is no placement.</li>
 * </ol>
 *
 * <h2>Worked example</h2>
 * Three invokers with 1024 MB user memory each, two controllers: 512 MB of slots per invoker here.
 * Used: invoker 0 = 512, 1 = 0, 2 = 256. An action of 256 MB with {@code hash = 7}: home =
 * {@code 7 mod 3 = 1}, coprimes(3) = [1, 2], step = {@code coprimes[7 mod 2] = 2}. The walk is
 * 1, 0, 2: invoker 1 has 512 free, so it is chosen. With hash 9 instead: home 0 (full), step
 * {@code coprimes[9 mod 2] = 2}, walk 0, 2, 1: invoker 2 has 256 free and is chosen. If invoker 0
 * had pinged that it holds the action pre-loaded but is full, and invoker 2 pinged it warm, invoker 2
 * is chosen by proactive routing whatever the hash.
 *
 * <h2>Caveats</h2>
 * Slots are counted per controller without coordination, so with several controllers an invoker may
 * be asked for more than its memory when their loads differ; the invoker queues what does not fit.
 * Changing the invoker count re-homes most actions (warm containers are lost to the new homes).
 * What an invoker holds is as old as its last ping (1 s): a warm container taken meanwhile means a
 * start there that the home invoker might have served warm.
 */
public final class ShardingPolicy {

    private ShardingPolicy() {}

    /** What this controller knows of one invoker. */
    public record Invoker(int id, int userMemoryMb, Instant lastPing, Set<String> warm, Set<String> preloaded) {
        public Invoker {
            warm = warm == null ? Set.of() : Set.copyOf(warm);
            preloaded = preloaded == null ? Set.of() : Set.copyOf(preloaded);
        }

        public Invoker(int id, int userMemoryMb, Instant lastPing) {
            this(id, userMemoryMb, lastPing, Set.of(), Set.of());
        }

        boolean holds(Request r) {
            return (r.path() != null && warm.contains(r.path()))
                    || (r.digest() != null && preloaded.contains(r.digest()));
        }
    }

    /**
     * The state a decision is made on: invokers by id, slot memory in use per invoker id (this
     * controller's activations only), the controller count and the health timeout.
     */
    public record Snapshot(
            Map<Integer, Invoker> invokers, Map<Integer, Integer> usedMb, int controllers, Duration healthTimeout) {
        public Snapshot {
            invokers = Map.copyOf(invokers);
            usedMb = Map.copyOf(usedMb);
        }

        int size() {
            return invokers.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        }

        boolean healthy(int id, Instant now) {
            Invoker i = invokers.get(id);
            return i != null && !i.lastPing().plus(healthTimeout).isBefore(now);
        }

        /** How many invokers are in rotation at {@code now}. */
        public long healthyCount(Instant now) {
            return invokers.keySet().stream().filter(id -> healthy(id, now)).count();
        }

        int freeMb(int id) {
            Invoker i = invokers.get(id);
            return i == null ? 0 : i.userMemoryMb() / controllers - usedMb.getOrDefault(id, 0);
        }
    }

    /**
     * An activation to place: who owns it, which action, how much memory; {@code path} (the action's
     * path as invokers report warm containers) and {@code digest} (its code) for proactive routing.
     */
    public record Request(String namespace, String action, int memoryMb, String path, String digest) {
        public Request(String namespace, String action, int memoryMb) {
            this(namespace, action, memoryMb, null, null);
        }
    }

    /** The outcome of {@link #place}. */
    public sealed interface Decision {
        /** Send to {@code invoker}; {@code forced} when it had no free slot memory. */
        record Placed(int invoker, boolean forced) implements Decision {}

        /** No healthy invoker. */
        record NoInvoker() implements Decision {}
    }

    /** An activation holding slot memory until its completion or its deadline. */
    public record InFlight(String activationId, String namespace, int invoker, int memoryMb, Instant deadline) {}

    public static Decision place(Snapshot snapshot, Request request, Instant now, RandomGenerator random) {
        int n = snapshot.size();
        if (n == 0) {
            return new Decision.NoInvoker();
        }
        Integer holder = null;
        for (Invoker i : snapshot.invokers().values()) {
            boolean candidate =
                    snapshot.healthy(i.id(), now) && snapshot.freeMb(i.id()) >= request.memoryMb() && i.holds(request);
            if (candidate
                    && (holder == null
                            || snapshot.freeMb(i.id()) > snapshot.freeMb(holder)
                            || (snapshot.freeMb(i.id()) == snapshot.freeMb(holder) && i.id() < holder))) {
                holder = i.id();
            }
        }
        if (holder != null) {
            return new Decision.Placed(holder, false);
        }
        int hash = hash(request.namespace(), request.action());
        int home = hash % n;
        List<Integer> steps = coprimes(n);
        int step = steps.get(hash % steps.size());
        List<Integer> healthy = new ArrayList<>();
        for (int k = 0, id = home; k < n; k++, id = (id + step) % n) {
            if (snapshot.healthy(id, now)) {
                if (snapshot.freeMb(id) >= request.memoryMb()) {
                    return new Decision.Placed(id, false);
                }
                healthy.add(id);
            }
        }
        if (healthy.isEmpty()) {
            return new Decision.NoInvoker();
        }
        healthy.sort(null);
        return new Decision.Placed(healthy.get(random.nextInt(healthy.size())), true);
    }

    /** The activations whose deadline has passed: their completions are taken as lost. */
    public static List<InFlight> expired(Collection<InFlight> inFlight, Instant now) {
        return inFlight.stream().filter(f -> !f.deadline().isAfter(now)).toList();
    }

    /** A non-negative hash of the namespace and the action path, the same on every JVM. */
    static int hash(String namespace, String action) {
        return (namespace + "/" + action).hashCode() & 0x7fffffff;
    }

    /** The numbers in {@code 1..n} co-prime with {@code n} (for n = 1: [1]). */
    static List<Integer> coprimes(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (gcd(i, n) == 1) {
                out.add(i);
            }
        }
        return out;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
