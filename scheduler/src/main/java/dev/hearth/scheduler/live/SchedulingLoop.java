package dev.hearth.scheduler.live;

import dev.hearth.common.id.TransactionId;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.SchedulingDecision;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.scheduler.policy.Decision;
import dev.hearth.scheduler.policy.Policy;
import dev.hearth.scheduler.policy.Snapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval: roll {@link LiveState} into a snapshot, run the policy, spread its targets over the
 * healthy invokers and publish the {@link SchedulingDecision} on {@code scheduling}. Keeps the last
 * {@link #KEPT} decisions for {@code GET /policy} and exports metrics: {@code hearth.scheduler.decisions}
 * (count), {@code hearth.scheduler.decide} (time to decide), and per action {@code
 * hearth.scheduler.target.warm}, {@code .preloaded}, {@code .cpu.share}.
 */
final class SchedulingLoop implements AutoCloseable {
    static final int KEPT = 10;
    private static final Logger log = LoggerFactory.getLogger(SchedulingLoop.class);

    private final Policy policy;
    private final LiveState state;
    private final MessageProducer producer;
    private final Clock clock;
    private final long intervalMs;
    private final double coresPerInvoker;
    private final ArrayDeque<SchedulingDecision> last = new ArrayDeque<>();
    private final Counter decisions;
    private final Timer decide;
    private final MultiGauge warm;
    private final MultiGauge preloaded;
    private final MultiGauge share;
    private ScheduledExecutorService timer;

    SchedulingLoop(
            Policy policy,
            LiveState state,
            MessageProducer producer,
            Clock clock,
            long intervalMs,
            double coresPerInvoker,
            MeterRegistry registry) {
        this.policy = policy;
        this.state = state;
        this.producer = producer;
        this.clock = clock;
        this.intervalMs = intervalMs;
        this.coresPerInvoker = coresPerInvoker;
        Tags tags = Tags.of("policy", policy.name());
        this.decisions =
                Counter.builder("hearth.scheduler.decisions").tags(tags).register(registry);
        this.decide = Timer.builder("hearth.scheduler.decide").tags(tags).register(registry);
        this.warm = MultiGauge.builder("hearth.scheduler.target.warm").register(registry);
        this.preloaded = MultiGauge.builder("hearth.scheduler.target.preloaded").register(registry);
        this.share = MultiGauge.builder("hearth.scheduler.target.cpu.share").register(registry);
    }

    String policy() {
        return policy.name();
    }

    long intervalMs() {
        return intervalMs;
    }

    double coresPerInvoker() {
        return coresPerInvoker;
    }

    synchronized SchedulingLoop start() {
        timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("scheduling-loop").daemon().factory());
        timer.scheduleAtFixedRate(this::runSafely, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        return this;
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            log.warn("scheduling round failed: {}", e.toString());
        }
    }

    /** One round; returns what was published. */
    SchedulingDecision runOnce() {
        long now = clock.millis();
        Snapshot snapshot = state.roll(now, intervalMs, coresPerInvoker);
        Decision d = decide.record(() -> policy.decide(snapshot));
        List<Integer> invokers =
                state.healthy(now).stream().map(LiveState.Invoker::id).toList();
        List<SchedulingDecision.Prewarm> prewarm = new ArrayList<>();
        for (int i : invokers) {
            prewarm.add(new SchedulingDecision.Prewarm(i, "djl:pytorch", 0, d.prewarmedPerInvoker()));
        }
        SchedulingDecision message = new SchedulingDecision(
                Message.SCHEMA,
                TransactionId.generate().value(),
                policy.name(),
                now,
                intervalMs,
                prewarm,
                Spread.spread(d.targets(), invokers));
        Map<String, Double> shares = new HashMap<>();
        d.targets().forEach((action, t) -> shares.put(action, t.cpuShare()));
        state.shares(shares);
        producer.send(Topics.SCHEDULING, Messages.encode(message));
        decisions.increment();
        gauges(d);
        synchronized (this) {
            last.addFirst(message);
            while (last.size() > KEPT) {
                last.removeLast();
            }
        }
        return message;
    }

    private void gauges(Decision d) {
        List<MultiGauge.Row<?>> w = new ArrayList<>();
        List<MultiGauge.Row<?>> p = new ArrayList<>();
        List<MultiGauge.Row<?>> s = new ArrayList<>();
        d.targets().forEach((action, t) -> {
            Tags tags = Tags.of("action", action, "policy", policy.name());
            w.add(MultiGauge.Row.of(tags, t.warm()));
            p.add(MultiGauge.Row.of(tags, t.preloaded()));
            s.add(MultiGauge.Row.of(tags, t.cpuShare()));
        });
        warm.register(w, true);
        preloaded.register(p, true);
        share.register(s, true);
    }

    /** The last decisions, newest first. */
    synchronized List<SchedulingDecision> lastDecisions() {
        return List.copyOf(last);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
