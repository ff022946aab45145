package dev.hearth.invoker.activation;

import dev.hearth.common.entity.ActivationResponse;
import dev.hearth.common.id.FullyQualifiedName;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.invoker.artifact.ArtifactException;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitFailedException;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.cpu.Cores;
import dev.hearth.invoker.cpu.PassGate;
import dev.hearth.invoker.cpu.RunningShares;
import dev.hearth.invoker.pool.ActionKey;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.Lease;
import dev.hearth.invoker.pool.PoolRequest;
import dev.hearth.invoker.preload.Arrivals;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs one activation: code from the {@link ArtifactStore}, a container from the {@link ContainerPool},
 * {@code /init} on a cold start (with the action's kind; its timings and the container's start become
 * the {@link ColdStartBreakdown}), {@code /run} with the deadline (a model's inference time comes
 * back with it), then the response classified as OpenWhisk does. Never throws: every failure
 * becomes an {@link Outcome}.
 */
final class ActivationRunner {
    private static final Logger log = LoggerFactory.getLogger(ActivationRunner.class);
    static final String EXITED = "The action did not produce a valid response and exited unexpectedly.";
    /** OpenWhisk's text for an action the kernel killed at its memory limit. */
    static final String MEMORY_EXHAUSTED = "The action exhausted its memory and was aborted.";

    private final ArtifactStore artifacts;
    private final ContainerPool pool;
    private final Arrivals arrivals;
    private final Clock clock;
    private final WarmStarter warm;
    private final Cores cores;

    ActivationRunner(
            ArtifactStore artifacts,
            ContainerPool pool,
            Arrivals arrivals,
            WarmStarter warm,
            Cores cores,
            Clock clock) {
        this.artifacts = artifacts;
        this.pool = pool;
        this.arrivals = arrivals;
        this.warm = warm;
        this.cores = cores;
        this.clock = clock;
    }

    /** What {@code /init} gets for the message's action, whose code is at {@code code}. */
    static InitRequest initRequest(ActivationMessage msg, FullyQualifiedName fqn, Path code) {
        return new InitRequest(
                fqn.name().value(),
                msg.exec().main(),
                code,
                Map.of(),
                msg.exec().kind(),
                msg.exec().digest());
    }

    /** A stem cell's start happened before the request: it is not part of this activation's breakdown. */
    private static dev.hearth.invoker.container.StartTimings startTimings(Lease lease) {
        return lease.startKind() == dev.hearth.invoker.pool.StartKind.COLD
                ? lease.container().startTimings()
                : new dev.hearth.invoker.container.StartTimings(0, 0L);
    }

    /** The {@code startKind} annotation: the pool's decision, refined by what the proxy said it did. */
    static String startKind(Lease lease, InitTimings init) {
        return switch (lease.startKind()) {
            case WARM, COLD -> lease.startKind().label();
            case PRELOADED, PREWARMED -> init.preloaded() ? "preloaded" : "prewarmed";
        };
    }

    static String timedOut(int timeoutMs) {
        return "The action exceeded its time limits of " + timeoutMs + " milliseconds.";
    }

    Outcome run(ActivationMessage msg) {
        try {
            return runOrThrow(msg);
        } catch (ArtifactException | ContainerException e) {
            log.warn(
                    "activation {} of {} failed on the platform: {}", msg.activationId(), msg.action(), e.getMessage());
            return Outcome.platformFailure(clock.instant(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.platformFailure(clock.instant(), "The invoker was interrupted.");
        } catch (RuntimeException e) {
            log.error("activation {} of {} failed unexpectedly", msg.activationId(), msg.action(), e);
            return Outcome.platformFailure(clock.instant(), "The invoker failed to run the action: " + e.getMessage());
        }
    }

    private Outcome runOrThrow(ActivationMessage msg)
            throws ArtifactException, ContainerException, InterruptedException {
        FullyQualifiedName fqn = FullyQualifiedName.parse(msg.action());
        String kind = msg.exec().kind();
        // A call made before its action changed still runs, but teaches nothing about the action now.
        boolean current = warm.remember(msg);
        if (!current) {
            return runArrived(msg, fqn, kind, false);
        }
        arrivals.arrived(fqn.path(), msg.exec().digest(), kind, msg.limits().memory(), clock.instant());
        try {
            return runArrived(msg, fqn, kind, true);
        } finally {
            arrivals.finished(fqn.path());
        }
    }

    /** @param current false for a call made before its action changed: its container is not kept warm after */
    private Outcome runArrived(ActivationMessage msg, FullyQualifiedName fqn, String kind, boolean current)
            throws ArtifactException, ContainerException, InterruptedException {
        Path code = artifacts.code(msg.exec().digest(), kind);
        ActionKey key = new ActionKey(fqn.path(), msg.version(), msg.exec().digest());
        Lease lease;
        try {
            lease = pool.acquire(
                            new PoolRequest(key, kind, msg.limits().memory()),
                            msg.exec().kind(),
                            msg.activationId())
                    .get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ContainerException c
                    ? c
                    : new ContainerException("no container: " + e.getCause(), e.getCause());
        }
        // Asked again now that the container is in the pool: a change that arrived while the call waited
        // (for its artifact, or for memory) found no container of it to mark (ContainerPool#retire).
        if (!current || !warm.current(msg)) {
            lease.retire();
        }
        double share = pool.cpuShare(fqn.path());
        try (RunningShares.Running running = cores.shares().enter(share)) {
            return runLeased(msg, fqn, code, lease, running, share);
        }
    }

    /**
     * {@code /init} when the lease needs it, then {@code /run} on the threads its share of the cores gives;
     * a model's {@code /run} after its turn at the {@link PassGate}.
     */
    private Outcome runLeased(
            ActivationMessage msg,
            FullyQualifiedName fqn,
            Path code,
            Lease lease,
            RunningShares.Running running,
            double share)
            throws ContainerException, InterruptedException {
        Duration timeout = Duration.ofMillis(msg.limits().timeout());
        boolean gated = cores.gated() && ContainerFactory.isModel(msg.exec().kind());
        if (gated) {
            // A gated pass takes its share of the cores only once it has its turn: not during its /init,
            // which takes no thread count, or a pass running meanwhile would be told to share the cores.
            running.suspend();
        }
        Instant start = clock.instant();
        Long initMs = null;
        ObjectNode breakdown = null;
        InitTimings initTimings = InitTimings.NONE;
        if (lease.startKind().needsInit()) {
            InitTimings timings;
            try {
                timings = lease.container().init(initRequest(msg, fqn, code), timeout);
            } catch (InitFailedException e) {
                lease.release(false);
                Instant end = clock.instant();
                return new Outcome(
                        start,
                        end,
                        millis(start, end),
                        ColdStartBreakdown.of(startTimings(lease), InitTimings.NONE),
                        lease.startKind().label(),
                        e.getMessage().startsWith("The action exceeded its time limits"),
                        ActivationResponse.developerError(e.getMessage()),
                        List.of(),
                        null,
                        null,
                        null);
            } catch (ContainerException e) {
                lease.release(false);
                throw e;
            }
            initMs = millis(start, clock.instant());
            initTimings = timings;
            if (timings.modelLoadMs() != null && !timings.preloaded()) {
                arrivals.loaded(fqn.path(), timings.modelLoadMs());
            }
            breakdown = ColdStartBreakdown.of(startTimings(lease), timings);
            if (!timings.storeDigests().isEmpty()) {
                lease.attachTensors(timings.storeDigests());
            }
        }
        PassGate.Turn turn = null;
        if (gated) { // a waiting pass takes no share of the cores either
            try {
                turn = cores.gate().enter(share, cores.passMaxWait());
            } catch (InterruptedException e) {
                lease.release(true);
                throw e;
            }
            running.resume();
        }
        try (PassGate.Turn ignored = turn) {
            return runTurn(msg, fqn, lease, running, new Initialised(start, initMs, breakdown, initTimings), turn);
        }
    }

    /** What came before {@code /run}: when the container work began, and the {@code /init}'s figures (or none). */
    private record Initialised(Instant start, Long initMs, ObjectNode breakdown, InitTimings timings) {}

    /** {@code /run} once the pass may compute (its {@code turn}, null when not gated). */
    private Outcome runTurn(
            ActivationMessage msg,
            FullyQualifiedName fqn,
            Lease lease,
            RunningShares.Running running,
            Initialised init,
            PassGate.Turn turn)
            throws ContainerException {
        Duration timeout = Duration.ofMillis(msg.limits().timeout());
        Long passWaitMs = turn == null ? null : turn.waitedMs();
        Instant start = init.start();
        Long initMs = init.initMs();
        ObjectNode breakdown = init.breakdown();
        lease.running();
        Instant runStart = clock.instant();
        int threads = cores.shares().threads(running);
        RunRequest run = new RunRequest(
                msg.content(),
                msg.namespace(),
                fqn.toString(),
                msg.activationId(),
                msg.transactionId(),
                runStart.toEpochMilli() + msg.limits().timeout(),
                null,
                threads);
        RunResult result;
        try {
            result = lease.container().run(run, timeout, msg.limits().logs() * 1024L * 1024L);
        } catch (RuntimeException e) {
            lease.release(false); // a container that made the invoker fail is not to be trusted
            throw e;
        } finally {
            running.close(); // before the turn: the next pass must not count this one
        }
        lease.release(result.containerHealthy());
        String startKind = startKind(lease, init.timings());
        return switch (result) {
            case RunResult.Responded r ->
                new Outcome(
                        start,
                        r.end(),
                        initMs,
                        breakdown,
                        startKind,
                        false,
                        response(r),
                        r.logs(),
                        r.inferenceMs(),
                        cpuThreads(threads),
                        passWaitMs);
            case RunResult.TimedOut t ->
                new Outcome(
                        start,
                        t.end(),
                        initMs,
                        breakdown,
                        startKind,
                        true,
                        ActivationResponse.developerError(timedOut(msg.limits().timeout())),
                        t.logs(),
                        null,
                        cpuThreads(threads),
                        passWaitMs);
            case RunResult.Exited x ->
                new Outcome(
                        start,
                        x.end(),
                        initMs,
                        breakdown,
                        startKind,
                        false,
                        ActivationResponse.developerError(x.memoryExhausted() ? MEMORY_EXHAUSTED : EXITED),
                        x.logs(),
                        null,
                        cpuThreads(threads),
                        passWaitMs);
        };
    }

    /** The {@code cpuThreads} annotation: null when the threads were left to the runtime. */
    private static Integer cpuThreads(int threads) {
        return threads > 0 ? threads : null;
    }

    /** OpenWhisk's rule: 200 → success, or application error when the result has an {@code error}; else developer error. */
    static ActivationResponse response(RunResult.Responded r) {
        JsonNode error = r.body().get("error");
        if (r.status() == 200) {
            return error == null
                    ? ActivationResponse.success(r.body())
                    : ActivationResponse.applicationError(Json.object().set("error", error));
        }
        String message = error == null
                ? "The action did not produce a valid response: " + r.body()
                : error.isString() ? error.asString() : error.toString();
        return ActivationResponse.developerError(message);
    }

    private static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }
}
