package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.testsupport.ActionFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The scheduler's live loop on a running platform (gateway, controller, Kafka, invoker with process
 * containers, scheduler on a 2 s interval): a function with a 450 ms p99 SLO (a cold start breaks it) whose calls sleep 250 ms
 * gets Poisson load that ramps 2 → 5 → 10 → 16 calls a second, then stops. The scheduler must raise the
 * function's warm target as the load rises and the invoker must start containers ahead of demand, so the
 * top of the ramp meets the SLO with few cold starts; when the load is gone the target falls and the
 * containers go.
 */
class SchedulerRampTest {
    private static final long SLEEP_MS = 250;
    private static final double SLO_MS = 450;
    private static final double[] PHASES = {2, 5, 10, 16}; // calls per second, 10 s each
    private static final long PHASE_MS = 10_000;
    private static Platform platform;
    private static Api guest;
    private static Api invoker;
    private static Api scheduler;

    @BeforeAll
    static void start() {
        platform = Platform.start(PlatformSettings.ephemeral(
                        RunningPlatform.newDataDir("hearth-ramp"),
                        Map.of(
                                "hearth.scheduler.interval",
                                "2s",
                                "hearth.scheduler.history-windows",
                                8,
                                // the function sleeps: memory and its SLO, not this machine's 2 cores,
                                // bound its warm capacity
                                "hearth.scheduler.cores-per-invoker",
                                16,
                                "hearth.invoker.idle-timeout",
                                "3s",
                                "hearth.invoker.preload.enabled",
                                false,
                                "hearth.controller.throttles.invocations-per-minute",
                                100_000,
                                "hearth.controller.throttles.concurrent-invocations",
                                1_000))
                .withInvokerMemoryMb(8192));
        guest = new Api(platform.apiHost(), platform.guestKey());
        invoker = new Api("http://127.0.0.1:" + platform.invokerPort(), platform.guestKey());
        scheduler = new Api("http://127.0.0.1:" + platform.schedulerPort(), null);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    /** One call as the client saw it. */
    record Call(int phase, long sentMs, long latencyMs, int status, String startKind) {}

    @Test
    void raisesWarmCapacityAheadOfARampAndLowersItWhenTheLoadGoes() throws Exception {
        String name = Actions.unique("ramp");
        ObjectNode body = sleeper();
        Actions.create(guest, name, body);
        String path = "guest/" + name;

        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        List<Integer> targetAtPhaseEnd = new ArrayList<>();
        Random random = new Random(42);
        long t0 = System.currentTimeMillis();
        for (int phase = 0; phase < PHASES.length; phase++) {
            long end = t0 + (phase + 1) * PHASE_MS;
            long next = System.currentTimeMillis();
            while (next < end) {
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
                int p = phase;
                threads.add(Thread.ofVirtual().start(() -> calls.add(call(name, p))));
                next += (long) (-Math.log(1 - random.nextDouble()) * 1000 / PHASES[phase]);
            }
            targetAtPhaseEnd.add(warmTarget(path));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        JsonNode pool = invoker.get("/invoker/containers").json();
        long startedAhead = pool.path("startedAhead").asLong();
        String diagnosis = "targets at each phase's end " + targetAtPhaseEnd + ", started ahead " + startedAhead
                + ", per phase " + summary(calls) + ", last decision "
                + scheduler.get("/policy").json().path("coresPerInvoker") + " cores per invoker, "
                + scheduler.get("/policy").json().path("decisions").path(0);

        System.out.println("ramp: " + diagnosis);
        assertThat(calls).as(diagnosis).allMatch(c -> c.status() == 200);
        assertThat(targetAtPhaseEnd.getLast())
                .as("the warm target rose with the load: " + diagnosis)
                .isGreaterThanOrEqualTo(3)
                .isGreaterThan(targetAtPhaseEnd.getFirst());
        assertThat(startedAhead)
                .as("containers were started ahead of demand: " + diagnosis)
                .isPositive();
        // Past the first phase (which starts from nothing), each rise of the load should find warm
        // containers the scheduler started. With keep-alive alone (follow-scheduler=false) one run here had
        // 12 cold starts in phases 2-4, against 2 with the live loop.
        List<Call> later = calls.stream().filter(c -> c.phase() > 0).toList();
        long cold = later.stream().filter(c -> "cold".equals(c.startKind())).count();
        long slow = later.stream().filter(c -> c.latencyMs() > SLO_MS).count();
        assertThat(cold)
                .as("the ramp found its containers already warm: " + diagnosis)
                .isLessThanOrEqualTo(5);
        assertThat(slow)
                .as("the ramp met the SLO at p95 at least: " + diagnosis)
                .isLessThanOrEqualTo(later.size() / 20);

        // The load is gone: within the history (8 windows of 2 s) and the idle timeout, the target and
        // the containers follow it down.
        long deadline = System.currentTimeMillis() + 60_000;
        int target = warmTarget(path);
        int held = initialised(path);
        while ((target > 0 || held > 1) && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
            target = warmTarget(path);
            held = initialised(path);
        }
        assertThat(target).as("the warm target fell: " + diagnosis).isZero();
        assertThat(held).as("the warm containers went: " + diagnosis).isLessThanOrEqualTo(1);
        System.out.println("ramp: target " + target + " and " + held + " container(s) "
                + (System.currentTimeMillis() - (deadline - 60_000)) + " ms after the load stopped");
    }

    /**
     * Deleting or updating an action ends what the platform kept for it: under load both get warm targets
     * and warm containers; within a few seconds of the DELETE the deleted one has no target and no container
     * (and none is started again), and the updated one holds no container of its old version (its warm
     * target protected them by name, and the invoker started them from the last call it saw). Without the
     * {@code entities} messages the target would outlive the action for the scheduler's whole history.
     */
    @Test
    void aDeletedOrUpdatedActionLosesWhatWasKeptForItsOldCode() throws Exception {
        String deleted = Actions.unique("deleted");
        String updated = Actions.unique("updated");
        ObjectNode body = sleeper();
        Actions.create(guest, deleted, body);
        Actions.create(guest, updated, body);
        String deletedPath = "guest/" + deleted;
        String updatedPath = "guest/" + updated;

        List<Thread> load = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 30_000;
        while ((warmTarget(deletedPath) == 0 || warmTarget(updatedPath) == 0)
                && System.currentTimeMillis() < deadline) {
            for (String name : List.of(deleted, updated)) {
                for (int i = 0; i < 2; i++) {
                    load.add(Thread.ofVirtual().start(() -> call(name, 0)));
                }
            }
            Thread.sleep(400);
        }
        for (Thread t : load) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(warmTarget(deletedPath)).as("a warm target under load").isPositive();
        assertThat(warmTarget(updatedPath)).as("a warm target under load").isPositive();

        assertThat(guest.delete("/api/v1/namespaces/_/actions/" + deleted).status())
                .isEqualTo(200);
        assertThat(guest.put("/api/v1/namespaces/_/actions/" + updated + "?overwrite=true", "{}")
                        .status())
                .isEqualTo(200);
        long changed = System.currentTimeMillis();
        deadline = changed + 8_000; // two scheduling intervals and the feeds' batching, with room
        while ((warmTarget(deletedPath) > 0 || initialised(deletedPath) > 0 || oldVersions(updatedPath) > 0)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        String seen = "after " + (System.currentTimeMillis() - changed) + " ms: target " + warmTarget(deletedPath)
                + ", containers " + invoker.get("/invoker/containers").json().path("containers");
        assertThat(warmTarget(deletedPath))
                .as("the deleted action's target went: " + seen)
                .isZero();
        assertThat(initialised(deletedPath)).as("its containers went: " + seen).isZero();
        assertThat(oldVersions(updatedPath))
                .as("the updated action's old code went: " + seen)
                .isZero();
        Thread.sleep(3_000); // a warm start would begin within a second of a decision
        assertThat(initialised(deletedPath)).as("none started again").isZero();
        assertThat(oldVersions(updatedPath)).as("no old code started again").isZero();

        Api.Response after = guest.post("/api/v1/namespaces/_/actions/" + updated + "?blocking=true", "{}");
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.json().path("version").asString()).isEqualTo("0.0.2");
        assertThat(guest.post("/api/v1/namespaces/_/actions/" + deleted + "?blocking=true", "{}")
                        .status())
                .isEqualTo(404);
    }

    /** Containers on the invoker holding a version of the action other than its second, 0.0.2. */
    private static int oldVersions(String path) {
        int n = 0;
        for (JsonNode c : invoker.get("/invoker/containers").json().path("containers")) {
            if (path.equals(c.path("action").asString())
                    && !"0.0.2".equals(c.path("version").asString())) {
                n++;
            }
        }
        return n;
    }

    /** The function both tests call: it sleeps {@value #SLEEP_MS} ms, with a {@value #SLO_MS} ms p99 SLO. */
    private static ObjectNode sleeper() {
        ObjectNode body = Actions.body(ActionFixture.SLEEP);
        body.putArray("annotations")
                .addObject()
                .put("key", "slo")
                .putObject("value")
                .put("latencyMs", SLO_MS)
                .put("percentile", 99);
        body.putArray("parameters").addObject().put("key", "ms").put("value", SLEEP_MS);
        return body;
    }

    private static Call call(String name, int phase) {
        long sent = System.currentTimeMillis();
        Api.Response r = guest.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{}");
        long latency = System.currentTimeMillis() - sent;
        String start = null;
        if (r.status() == 200) {
            for (JsonNode a : r.json().path("annotations")) {
                if ("startKind".equals(a.path("key").asString())) {
                    start = a.path("value").asString();
                }
            }
        }
        return new Call(phase, sent, latency, r.status(), start);
    }

    /** The action's warm target in the scheduler's newest decision (0 when it has none). */
    private static int warmTarget(String path) {
        JsonNode decisions = scheduler.get("/policy").json().path("decisions");
        if (decisions.isEmpty()) {
            return 0;
        }
        int warm = 0;
        for (JsonNode f : decisions.get(0).path("functions")) {
            if (path.equals(f.path("action").asString())) {
                warm += f.path("warm").asInt();
            }
        }
        return warm;
    }

    /** Containers on the invoker holding the action's code. */
    private static int initialised(String path) {
        int n = 0;
        for (JsonNode c : invoker.get("/invoker/containers").json().path("containers")) {
            if (path.equals(c.path("action").asString())) {
                n++;
            }
        }
        return n;
    }

    private static String summary(ConcurrentLinkedQueue<Call> calls) {
        StringBuilder out = new StringBuilder();
        for (int p = 0; p < PHASES.length; p++) {
            int phase = p;
            List<Long> latencies = calls.stream()
                    .filter(c -> c.phase() == phase)
                    .map(Call::latencyMs)
                    .sorted()
                    .toList();
            long cold = calls.stream()
                    .filter(c -> c.phase() == phase && "cold".equals(c.startKind()))
                    .count();
            out.append(Json.toString(Map.of(
                    "rate",
                    PHASES[p],
                    "calls",
                    latencies.size(),
                    "cold",
                    cold,
                    "p50",
                    latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2),
                    "max",
                    latencies.isEmpty() ? 0 : latencies.getLast())));
        }
        return out.toString();
    }
}
