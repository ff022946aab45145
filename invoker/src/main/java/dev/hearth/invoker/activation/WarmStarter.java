package dev.hearth.invoker.activation;

import dev.hearth.common.id.FullyQualifiedName;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.invoker.artifact.ArtifactException;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.InitFailedException;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.pool.ActionKey;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.Lease;
import dev.hearth.invoker.pool.PoolRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts warm containers ahead of demand, for the scheduler's warm targets: a container is taken from
 * the pool ({@link ContainerPool#startAhead}: a stem cell, or a cold start within free memory, never an
 * eviction), given the action's code with {@code /init}, and released idle — the next call finds it warm.
 *
 * <p>It can start only actions this invoker has run: the last activation message of each (remembered by
 * {@link #remember}) gives the code digest, version, kind, entry point, memory and the init timeout. The
 * parameters of that call are not used (a container started ahead holds code, never a caller's data).
 * An action whose start fails is not tried again for {@link #BACKOFF}.
 *
 * <p>When an action is updated or deleted ({@link #forget}) its remembered message no longer describes it:
 * it is dropped, and messages of calls made before the change (their {@code sentAt} not after the change's
 * time, both on the controller's clock) are not remembered again for {@link #CHANGES_KEPT}. Until a call
 * made after an update arrives, the action cannot be started ahead of demand.
 */
public final class WarmStarter {
    static final Duration BACKOFF = Duration.ofSeconds(30);
    /** How long a change is remembered, to tell the calls made before it. */
    static final Duration CHANGES_KEPT = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(WarmStarter.class);

    private final ArtifactStore artifacts;
    private final ContainerPool pool;
    private final Clock clock;
    private final Map<String, ActivationMessage> last = new ConcurrentHashMap<>();
    private final Map<String, Instant> failedUntil = new ConcurrentHashMap<>();
    /** Action path → when it last changed (the controller's clock, epoch ms). */
    private final Map<String, Long> changedAt = new ConcurrentHashMap<>();

    private final AtomicLong started = new AtomicLong();

    public WarmStarter(ArtifactStore artifacts, ContainerPool pool, Clock clock) {
        this.artifacts = artifacts;
        this.pool = pool;
        this.clock = clock;
    }

    /**
     * Records the newest activation message of its action; false (and nothing recorded) when the action
     * changed after the call was made.
     */
    boolean remember(ActivationMessage msg) {
        if (!current(msg)) {
            return false;
        }
        last.put(FullyQualifiedName.parse(msg.action()).path(), msg);
        return true;
    }

    /** Whether {@code msg}'s action has not changed since the call was made (as far as this invoker knows now). */
    boolean current(ActivationMessage msg) {
        Long changed = changedAt.get(FullyQualifiedName.parse(msg.action()).path());
        return changed == null || msg.sentAt() > changed;
    }

    /** The action at {@code path} was updated or deleted at {@code at} (epoch ms, the controller's clock). */
    public void forget(String path, long at) {
        changedAt.merge(path, at, Math::max);
        changedAt.values().removeIf(t -> t < at - CHANGES_KEPT.toMillis());
        last.computeIfPresent(path, (p, msg) -> msg.sentAt() <= at ? null : msg);
        failedUntil.remove(path);
    }

    /** The actions (paths) this invoker could start without a call. */
    public Set<String> known() {
        return new TreeSet<>(last.keySet());
    }

    /** Containers initialised ahead of demand so far. */
    public long started() {
        return started.get();
    }

    /**
     * Starts up to {@code counts} containers per action path (the missing part of a warm target) as the
     * pool allows now; returns how many were begun. Initialisation runs on virtual threads.
     */
    public int start(Map<String, Integer> counts) {
        int begun = 0;
        Instant now = clock.instant();
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            ActivationMessage msg = last.get(e.getKey());
            Instant until = failedUntil.get(e.getKey());
            if (msg == null || (until != null && until.isAfter(now))) {
                continue;
            }
            for (int i = 0; i < e.getValue(); i++) {
                Optional<CompletableFuture<Lease>> lease =
                        pool.startAhead(request(msg), msg.exec().kind());
                if (lease.isEmpty()) {
                    break;
                }
                begun++;
                Thread.ofVirtual().name("warm-start").start(() -> initialise(msg, lease.get()));
            }
        }
        return begun;
    }

    private static PoolRequest request(ActivationMessage msg) {
        FullyQualifiedName fqn = FullyQualifiedName.parse(msg.action());
        return new PoolRequest(
                new ActionKey(fqn.path(), msg.version(), msg.exec().digest()),
                msg.exec().kind(),
                msg.limits().memory());
    }

    private void initialise(ActivationMessage msg, CompletableFuture<Lease> pending) {
        String path = FullyQualifiedName.parse(msg.action()).path();
        Lease lease;
        try {
            lease = pending.get();
        } catch (ExecutionException e) {
            failed(path, e.getCause());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (lease.startKind().needsInit()) {
                Path code = artifacts.code(msg.exec().digest(), msg.exec().kind());
                InitTimings timings = lease.container()
                        .init(
                                ActivationRunner.initRequest(msg, FullyQualifiedName.parse(msg.action()), code),
                                Duration.ofMillis(msg.limits().timeout()));
                if (!timings.storeDigests().isEmpty()) {
                    lease.attachTensors(timings.storeDigests());
                }
            }
            lease.release(true);
            started.incrementAndGet();
            log.debug("started a warm container of {} ahead of demand", path);
        } catch (InitFailedException | ArtifactException | ContainerException | RuntimeException e) {
            lease.release(false);
            failed(path, e);
        }
    }

    private void failed(String path, Throwable e) {
        failedUntil.put(path, clock.instant().plus(BACKOFF));
        log.warn("cannot start a warm container of {} ahead of demand ({}); not again for {}", path, e, BACKOFF);
    }
}
