package dev.hearth.invoker.scheduling;

import dev.hearth.common.message.Messages;
import dev.hearth.common.message.SchedulingDecision;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.invoker.activation.WarmStarter;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.PrewarmTarget;
import dev.hearth.invoker.preload.Preloader;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the scheduler's decisions on {@code scheduling} (from the latest, no group) and applies them
 * through {@link DecisionApplier}: the pool's stem-cell targets and the pre-loader's requested actions;
 * and through {@link WarmTargets}: the warm counts the pool's keep-alive spares, and the missing warm
 * containers of actions this invoker has run, which {@link WarmStarter} starts ahead of demand.
 * Every second it re-applies the last decision, so a stale one falls back to the configured stem cells.
 */
public final class SchedulingListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SchedulingListener.class);

    private final ContainerPool pool;
    private final Preloader preloader; // null when pre-loading is off
    private final WarmStarter warmStarter;
    private final int invoker;
    private final List<PrewarmTarget> configured;
    private final Clock clock;
    private final MessageFeed feed;
    private final ScheduledExecutorService timer;
    private volatile SchedulingDecision last;
    private volatile DecisionApplier.Applied applied;
    private java.util.Map<String, Integer> warmApplied = java.util.Map.of();

    public SchedulingListener(
            MessagingProvider messaging,
            ContainerPool pool,
            Preloader preloader,
            WarmStarter warmStarter,
            int invoker,
            List<PrewarmTarget> configured,
            Clock clock) {
        this.pool = pool;
        this.preloader = preloader;
        this.warmStarter = warmStarter;
        this.invoker = invoker;
        this.configured = List.copyOf(configured);
        this.clock = clock;
        messaging.ensureTopic(Topics.SCHEDULING, 1, Duration.ofDays(1));
        this.feed = new MessageFeed(
                        "scheduling",
                        messaging.consumer(Topics.SCHEDULING, "invoker" + invoker, true, 10),
                        this::accept)
                .start();
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("scheduling").factory());
        timer.scheduleWithFixedDelay(this::reapply, 1, 1, TimeUnit.SECONDS);
    }

    void accept(byte[] bytes) {
        try {
            last = Messages.decode(bytes, SchedulingDecision.class);
        } catch (RuntimeException e) {
            log.warn("ignoring a scheduling message that does not decode: {}", e.toString());
            return;
        }
        reapply();
    }

    private synchronized void reapply() {
        // Keep-alive spares the warm targets; an action never run here has no containers to spare.
        java.util.Map<String, Integer> warm = WarmTargets.targets(last, invoker, clock.instant());
        if (!warm.equals(warmApplied)) {
            log.info("warm targets now {}", warm);
            warmApplied = warm;
            pool.setWarmProtect(warm);
        }
        pool.setCpuShares(WarmTargets.cpuShares(last, invoker, clock.instant()));
        pool.setKeepAlive(WarmTargets.keepAlive(last, invoker, clock.instant()));
        WarmTargets.Plan plan = WarmTargets.plan(warm, pool.snapshot().initialisedByAction(), warmStarter.known());
        if (!plan.start().isEmpty()) {
            int begun = warmStarter.start(plan.start());
            if (begun > 0) {
                log.info("starting {} warm container(s) ahead of demand for {}", begun, plan.start());
            }
        }
        DecisionApplier.Applied now = DecisionApplier.apply(last, invoker, configured, clock.instant());
        if (now.equals(applied)) {
            return;
        }
        if (applied == null || !now.prewarm().equals(applied.prewarm())) {
            log.info("stem cells now {} ({})", now.prewarm(), now.stale() ? "configured" : "scheduler");
        }
        applied = now;
        pool.setPrewarmTargets(now.prewarm());
        if (preloader != null) {
            preloader.request(now.preload());
        }
    }

    /** What is applied now (for tests and operators). */
    public DecisionApplier.Applied applied() {
        return applied;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        feed.close();
    }
}
