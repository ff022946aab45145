package dev.hearth.invoker.activation;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.MessagingProvider.Pace;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.cpu.Cores;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.preload.Arrivals;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Consumes {@code invoker{N}} (consumer group {@code invoker{N}}, from the earliest offset) and runs
 * each activation on its own virtual thread; a message that cannot be decoded is logged and skipped.
 * {@link #runNow} runs a blocking activation a controller sent directly (see {@link DirectActivations})
 * on the caller's thread and returns its completion.
 *
 * <p>An activation id seen in the last {@value #REMEMBERED} activations is not run again: a controller
 * whose direct call failed half-way cannot know whether it arrived, so it sends the message through
 * Kafka as well, and a message Kafka redelivers after a restart is skipped the same way.
 */
public final class ActivationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActivationService.class);

    private final MessagingProvider messaging;
    private final int invoker;
    private final ActivationRunner runner;
    private final ActivationSink sink;
    static final int REMEMBERED = 10_000;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final RecentIds seen = new RecentIds(REMEMBERED);
    private final AtomicLong direct = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    /** Stores the records of direct calls after they were answered, in batches. */
    private final DeferredRecords<ActivationSink.Finished> later;

    private MessageFeed feed;

    /**
     * @param arrivals where every activation's arrival and model-load time are recorded (the pre-loader reads them)
     * @param warm     remembers each action's last message, so warm containers can be started ahead of demand
     * @param cores    how the activations share the cores: the thread split and the pass gate
     * @param records  how long the record of an answered direct call may wait to be stored with others, and
     *                 how many are stored at once (see {@link DeferredRecords})
     * @param local    completions for a controller in this JVM ({@link LocalCompletions#NONE}: none)
     */
    public ActivationService(
            MessagingProvider messaging,
            JdbcClient jdbc,
            ArtifactStore artifacts,
            ContainerPool pool,
            Arrivals arrivals,
            WarmStarter warm,
            Cores cores,
            Records records,
            LocalCompletions local,
            Clock clock,
            int invoker) {
        this.messaging = messaging;
        this.invoker = invoker;
        this.runner = new ActivationRunner(artifacts, pool, arrivals, warm, cores, clock);
        this.sink = new ActivationSink(jdbc, messaging.producer(), messaging.producer(Pace.BATCHED), invoker, local);
        this.later = new DeferredRecords<>(records.maxDelay(), records.maxBatch(), sink::storeAndSend);
    }

    /** How answered direct calls' records are stored: see {@link DeferredRecords}. */
    public record Records(Duration maxDelay, int maxBatch) {}

    public synchronized void start() {
        if (feed == null) {
            String topic = Topics.invoker(invoker);
            feed = new MessageFeed(topic, messaging.consumer(topic, topic, false, 100), this::onMessage).start();
        }
    }

    /** Activations being run right now. */
    public int inFlight() {
        return inFlight.get();
    }

    void onMessage(byte[] bytes) {
        ActivationMessage msg;
        try {
            msg = Messages.decode(bytes, ActivationMessage.class);
        } catch (Messages.MalformedMessageException e) {
            log.warn("skipping a message on {} that cannot be read: {}", Topics.invoker(invoker), e.getMessage());
            return;
        }
        if (!seen.add(msg.activationId())) {
            duplicates.incrementAndGet();
            log.info("activation {} arrived again through Kafka: already run, skipped", msg.activationId());
            return;
        }
        inFlight.incrementAndGet();
        Thread.ofVirtual().name("activation-" + msg.activationId()).start(() -> {
            try {
                handle(msg, false);
            } catch (RuntimeException e) {
                log.error("activation {} could not be recorded", msg.activationId(), e);
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    /**
     * Runs a blocking activation on this thread and returns its completion (also sent to Kafka); empty when
     * its id was already seen (it is running or ran: its completion comes, or came, through Kafka).
     */
    public Optional<CompletionMessage> runNow(ActivationMessage msg) {
        if (!seen.add(msg.activationId())) {
            duplicates.incrementAndGet();
            return Optional.empty();
        }
        direct.incrementAndGet();
        inFlight.incrementAndGet();
        try {
            return Optional.of(handle(msg, true));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Activations that came over the direct path, and messages skipped as already seen. */
    public long directCount() {
        return direct.get();
    }

    public long duplicateCount() {
        return duplicates.get();
    }

    /** Runs {@code msg}; a caller waiting on the line ({@code answerFirst}) gets its completion before it is stored. */
    private CompletionMessage handle(ActivationMessage msg, boolean answerFirst) {
        Outcome outcome = runner.run(msg);
        Activation activation = ActivationRecords.activation(msg, outcome);
        ActivationEvent event = ActivationRecords.event(msg, outcome, activation, invoker);
        return answerFirst
                ? sink.answerFirst(activation, msg.controller(), msg.limits().memory(), event, later)
                : sink.accept(activation, msg.controller(), msg.limits().memory(), event);
    }

    /**
     * Stops consuming; activations already running finish on their own threads. Records of answered
     * direct calls still being stored get a few seconds.
     */
    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
        if (!later.close(Duration.ofSeconds(5))) {
            log.warn("records of answered direct activations were still being stored at shutdown");
        }
    }
}
