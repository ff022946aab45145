package dev.hearth.invoker.health;

import dev.hearth.common.id.TransactionId;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.ContainerState;
import dev.hearth.invoker.pool.PoolEntry;
import dev.hearth.invoker.pool.PoolSnapshot;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a {@link HealthPing} to {@code health} every ping interval, with the direct endpoint once
 * {@link #advertise} has set it (when the web server is up).
 */
public final class HealthPinger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthPinger.class);

    private final MessageProducer producer;
    private final ContainerPool pool;
    private final Clock clock;
    private final int invoker;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private volatile String endpoint;

    public HealthPinger(MessageProducer producer, ContainerPool pool, Clock clock, int invoker, Duration interval) {
        this.producer = producer;
        this.pool = pool;
        this.clock = clock;
        this.invoker = invoker;
        this.interval = interval;
    }

    public synchronized void start() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("health-ping").factory());
            timer.scheduleAtFixedRate(this::ping, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** From now on, pings tell controllers they may POST blocking activations to {@code url}. */
    public void advertise(URI url) {
        endpoint = url == null ? null : url.toString();
    }

    /** The URL {@link #advertise} set, or null before the web server is up or when the path is off. */
    public URI advertised() {
        String e = endpoint;
        return e == null ? null : URI.create(e);
    }

    /** The ping for the pool as it is now. */
    public static HealthPing ping(PoolSnapshot pool, int invoker, long now) {
        return ping(pool, invoker, now, null);
    }

    /** The ping for the pool as it is now, advertising {@code endpoint} (null: none). */
    public static HealthPing ping(PoolSnapshot pool, int invoker, long now, String endpoint) {
        Map<String, Integer> byState = new TreeMap<>();
        for (PoolEntry e : pool.entries()) {
            byState.merge(e.state().label(), 1, Integer::sum);
        }
        List<String> warm = pool.entries().stream()
                .map(PoolEntry::state)
                .filter(s -> s instanceof ContainerState.Idle)
                .map(s -> ((ContainerState.Idle) s).action().path())
                .distinct()
                .sorted()
                .toList();
        return new HealthPing(
                Message.SCHEMA,
                TransactionId.generate().value(),
                invoker,
                now,
                pool.userMemoryMb(),
                Math.max(0, pool.availableMemoryMb()),
                byState,
                warm,
                pool.entries().stream()
                        .map(PoolEntry::state)
                        .filter(s -> s instanceof ContainerState.Prewarmed)
                        .flatMap(s -> ((ContainerState.Prewarmed) s).preloaded().stream())
                        .distinct()
                        .sorted()
                        .toList(),
                endpoint);
    }

    private void ping() {
        try {
            producer.send(Topics.HEALTH, Messages.encode(ping(pool.snapshot(), invoker, clock.millis(), endpoint)));
        } catch (RuntimeException e) {
            log.warn("health ping failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
