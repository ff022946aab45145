package dev.hearth.controller.loadbalancer;

import dev.hearth.common.id.FullyQualifiedName;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.controller.activation.UnstoredActivations;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Carries out {@link ShardingPolicy}'s decisions: keeps what the invokers' health pings say (including
 * the direct endpoints of those that offer one), the slot memory held by this controller's activations,
 * and the futures of blocking callers. One feed reads
 * {@code health} (group {@code controller{C}-health}, from latest), one reads {@code completed{C}}.
 * Expired slots (completion lost) are released whenever a ping or a dispatch comes by.
 */
@Component
public class LoadBalancer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(LoadBalancer.class);
    static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final MessagingProvider messaging;
    private final MessageProducer producer;
    private final ControllerProperties properties;
    private final Clock clock;
    private final RandomGenerator random;

    // Guarded by this.
    private final Map<Integer, ShardingPolicy.Invoker> invokers = new HashMap<>();
    private final Map<Integer, Integer> usedMb = new HashMap<>();
    private final Map<String, ShardingPolicy.InFlight> inFlight = new HashMap<>();
    private final Map<String, Integer> inFlightByNamespace = new HashMap<>();

    private final Map<String, CompletableFuture<CompletionMessage>> waiting = new ConcurrentHashMap<>();
    private final Map<Integer, URI> endpoints = new ConcurrentHashMap<>();
    private final DirectInvoker direct;
    private final UnstoredActivations unstored;
    private final AtomicLong directCalls = new AtomicLong();
    private final AtomicLong kafkaCompletions = new AtomicLong();
    private final Set<Integer> topicsEnsured = ConcurrentHashMap.newKeySet();
    private volatile MessageFeed healthFeed;
    private volatile MessageFeed completionFeed;

    public LoadBalancer(
            MessagingProvider messaging,
            ControllerProperties properties,
            Clock clock,
            RandomGenerator random,
            DirectInvoker direct,
            UnstoredActivations unstored) {
        this.messaging = messaging;
        this.direct = direct;
        this.unstored = unstored;
        this.producer = messaging.producer();
        this.properties = properties;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public void start() {
        int c = properties.instance();
        messaging.ensureTopic(Topics.completed(c), 1, RETENTION);
        messaging.ensureTopic(Topics.HEALTH, 1, RETENTION);
        completionFeed = new MessageFeed(
                        "completed" + c,
                        messaging.consumer(Topics.completed(c), "controller" + c, true, 500),
                        this::onCompletion)
                .start();
        healthFeed = new MessageFeed(
                        "health-controller" + c,
                        messaging.consumer(Topics.HEALTH, "controller" + c + "-health", true, 500),
                        this::onHealth)
                .start();
    }

    @Override
    public void stop() {
        close(healthFeed);
        close(completionFeed);
        healthFeed = null;
        completionFeed = null;
        waiting.values().forEach(f -> f.cancel(false));
        waiting.clear();
    }

    @Override
    public boolean isRunning() {
        return completionFeed != null;
    }

    private static void close(MessageFeed feed) {
        if (feed != null) {
            feed.close();
        }
    }

    /**
     * Places and sends an activation through Kafka. With {@code await}, the returned future completes when
     * its completion arrives; the caller must {@link #forget} it if it stops waiting.
     *
     * @throws ApiException.Unavailable when no invoker is healthy or the message cannot be sent
     */
    public Optional<CompletableFuture<CompletionMessage>> dispatch(ActivationMessage message, boolean await) {
        int invoker = place(message);
        CompletableFuture<CompletionMessage> future = null;
        if (await) {
            future = new CompletableFuture<>();
            waiting.put(message.activationId(), future);
        }
        sendThroughKafka(message, invoker);
        return Optional.ofNullable(future);
    }

    /**
     * Places a blocking activation and waits up to {@code wait} for its completion. When the chosen invoker
     * advertises a direct endpoint (and {@code hearth.controller.direct.enabled}), the activation goes there
     * over HTTP and the completion comes back on the same connection: no Kafka hop either way. When the
     * direct call fails, the activation goes through Kafka (an invoker runs an activation id once, so a
     * call that did arrive is not run twice) and its completion is awaited from {@code completed{C}}.
     *
     * @return the completion, or empty when the wait ran out (the slot stays held until the completion)
     * @throws ApiException.Unavailable when no invoker is healthy or the message cannot be sent
     */
    public Optional<CompletionMessage> invoke(ActivationMessage message, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        String id = message.activationId();
        int invoker = place(message);
        CompletableFuture<CompletionMessage> future = new CompletableFuture<>();
        waiting.put(id, future);
        try {
            URI endpoint = properties.direct().enabled() ? endpoints.get(invoker) : null;
            if (endpoint == null) {
                sendThroughKafka(message, invoker);
            } else {
                switch (direct.call(endpoint, message, wait)) {
                    case DirectInvoker.Result.Completed c -> {
                        directCalls.incrementAndGet();
                        unstored.answered(id, message.namespace()); // the invoker stores it after answering
                        complete(c.completion());
                        return Optional.of(c.completion());
                    }
                    case DirectInvoker.Result.TimedOut t -> {
                        directCalls.incrementAndGet();
                        return Optional.empty();
                    }
                    case DirectInvoker.Result.AlreadyAccepted a -> directCalls.incrementAndGet();
                    case DirectInvoker.Result.Failed f -> {
                        log.warn(
                                "[{}] direct call of activation {} to invoker {} failed, sending it through Kafka: {}",
                                message.transactionId(),
                                id,
                                invoker,
                                f.why());
                        sendThroughKafka(message, invoker);
                    }
                }
            }
            long left = deadline - System.nanoTime();
            return Optional.of(future.get(Math.max(0, left), TimeUnit.NANOSECONDS));
        } catch (TimeoutException | ExecutionException | java.util.concurrent.CancellationException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            waiting.remove(id);
        }
    }

    /** Blocking activations answered over the direct path (for tests and metrics). */
    public long directCalls() {
        return directCalls.get();
    }

    /** Chooses an invoker and holds the activation's slot there; returns the invoker. */
    private int place(ActivationMessage message) {
        Instant now = clock.instant();
        String id = message.activationId();
        ShardingPolicy.Decision.Placed placed;
        synchronized (this) {
            sweep(now);
            ShardingPolicy.Decision decision = ShardingPolicy.place(
                    snapshot(),
                    new ShardingPolicy.Request(
                            message.namespace(),
                            message.action(),
                            message.limits().memory(),
                            FullyQualifiedName.parse(message.action()).path(),
                            message.exec() == null ? null : message.exec().digest()),
                    now,
                    random);
            if (!(decision instanceof ShardingPolicy.Decision.Placed p)) {
                throw new ApiException.Unavailable("No invokers available.");
            }
            placed = p;
            Instant deadline = now.plusMillis(message.limits().timeout()).plus(properties.completionGrace());
            acquire(new ShardingPolicy.InFlight(
                    id, message.namespace(), p.invoker(), message.limits().memory(), deadline));
        }
        if (placed.forced()) {
            log.info(
                    "[{}] activation {} forced onto invoker {}: no free slots",
                    message.transactionId(),
                    id,
                    placed.invoker());
        }
        return placed.invoker();
    }

    /** Sends to {@code invoker{N}}; on failure releases the slot and the waiter, and answers 503. */
    private void sendThroughKafka(ActivationMessage message, int invoker) {
        String id = message.activationId();
        try {
            ensureInvokerTopic(invoker);
            producer.send(Topics.invoker(invoker), Messages.encode(message))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn(
                    "[{}] cannot send activation {} to invoker {}: {}",
                    message.transactionId(),
                    id,
                    invoker,
                    e.toString());
            waiting.remove(id);
            synchronized (this) {
                release(id);
            }
            throw new ApiException.Unavailable("No invokers available.");
        }
    }

    /** The caller stopped waiting for {@code activationId}; its slot stays held until completion. */
    public void forget(String activationId) {
        waiting.remove(activationId);
    }

    /** Activations of {@code namespace} this controller has in flight (the concurrency throttle). */
    public synchronized int inFlight(String namespace) {
        return inFlightByNamespace.getOrDefault(namespace, 0);
    }

    /** How many callers are waiting for completions (for tests and metrics). */
    public int waitingCount() {
        return waiting.size();
    }

    /** The state the next decision would be made on. */
    public synchronized ShardingPolicy.Snapshot snapshot() {
        return new ShardingPolicy.Snapshot(
                invokers, usedMb, properties.controllers(), properties.invokerHealthTimeout());
    }

    /** How many invokers are in rotation now; a launcher waits for one before it reports ready. */
    public long healthyInvokers() {
        return snapshot().healthyCount(clock.instant());
    }

    void onHealth(byte[] bytes) {
        HealthPing ping = Messages.decode(bytes, HealthPing.class);
        Instant now = clock.instant();
        boolean isNew;
        synchronized (this) {
            if (ping.endpoint() == null) {
                endpoints.remove(ping.invoker());
            } else if (!ping.endpoint().equals(String.valueOf(endpoints.get(ping.invoker())))) {
                try {
                    endpoints.put(ping.invoker(), URI.create(ping.endpoint()));
                    log.info("invoker {} takes blocking activations directly at {}", ping.invoker(), ping.endpoint());
                } catch (IllegalArgumentException e) {
                    log.warn("invoker {} advertises a bad endpoint '{}': using Kafka", ping.invoker(), ping.endpoint());
                    endpoints.remove(ping.invoker());
                }
            }
            isNew = invokers.put(
                            ping.invoker(),
                            new ShardingPolicy.Invoker(
                                    ping.invoker(),
                                    ping.userMemoryMb(),
                                    now,
                                    java.util.Set.copyOf(ping.warm()),
                                    java.util.Set.copyOf(ping.preloaded())))
                    == null;
            sweep(now);
        }
        if (isNew) {
            log.info("invoker {} is known ({} MB user memory)", ping.invoker(), ping.userMemoryMb());
        }
        ensureInvokerTopic(ping.invoker());
    }

    /** A completion through Kafka: an invoker sends it after it has stored the record. */
    void onCompletion(byte[] bytes) {
        kafkaCompletions.incrementAndGet();
        stored(Messages.decode(bytes, CompletionMessage.class));
    }

    /**
     * A completion handed over by an invoker in this JVM after it stored the record: what a completion
     * through Kafka does, without Kafka (see the invoker's {@code LocalCompletions}).
     */
    public void completedInThisJvm(CompletionMessage completion) {
        stored(completion);
    }

    /** Completions that came through Kafka (for tests and metrics). */
    public long kafkaCompletions() {
        return kafkaCompletions.get();
    }

    private void stored(CompletionMessage completion) {
        complete(completion);
        unstored.stored(completion.activationId());
    }

    /** A completion, from Kafka or a direct answer (the second of the two finds nothing left to do). */
    private void complete(CompletionMessage completion) {
        synchronized (this) {
            release(completion.activationId());
        }
        CompletableFuture<CompletionMessage> future = waiting.remove(completion.activationId());
        if (future != null) {
            future.complete(completion);
        }
    }

    private void ensureInvokerTopic(int invoker) {
        if (!topicsEnsured.contains(invoker)) {
            messaging.ensureTopic(Topics.invoker(invoker), 1, RETENTION);
            topicsEnsured.add(invoker);
        }
    }

    private void acquire(ShardingPolicy.InFlight f) {
        inFlight.put(f.activationId(), f);
        usedMb.merge(f.invoker(), f.memoryMb(), Integer::sum);
        inFlightByNamespace.merge(f.namespace(), 1, Integer::sum);
    }

    private void release(String activationId) {
        ShardingPolicy.InFlight f = inFlight.remove(activationId);
        if (f == null) {
            return;
        }
        usedMb.computeIfPresent(f.invoker(), (k, v) -> v - f.memoryMb() <= 0 ? null : v - f.memoryMb());
        inFlightByNamespace.computeIfPresent(f.namespace(), (k, v) -> v <= 1 ? null : v - 1);
    }

    private void sweep(Instant now) {
        for (ShardingPolicy.InFlight f : ShardingPolicy.expired(inFlight.values(), now)) {
            log.warn(
                    "activation {} on invoker {}: no completion by its deadline, releasing its slot",
                    f.activationId(),
                    f.invoker());
            release(f.activationId());
            waiting.remove(f.activationId());
        }
    }
}
