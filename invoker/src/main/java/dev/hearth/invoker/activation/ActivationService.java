package dev.hearth.invoker.activation;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.preload.Arrivals;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Consumes {@code invoker{N}} (consumer group {@code invoker{N}}, from the earliest offset) and runs
 * each activation on its own virtual thread; a message that cannot be decoded is logged and skipped.
 */
public final class ActivationService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActivationService.class);

    private final MessagingProvider messaging;
    private final int invoker;
    private final ActivationRunner runner;
    private final ActivationSink sink;
    private final AtomicInteger inFlight = new AtomicInteger();
    private MessageFeed feed;

    public ActivationService(
            MessagingProvider messaging,
            JdbcClient jdbc,
            ArtifactStore artifacts,
            ContainerPool pool,
            Clock clock,
            int invoker) {
        this(messaging, jdbc, artifacts, pool, new Arrivals(), new WarmStarter(artifacts, pool, clock), clock, invoker);
    }

    /**
     * @param arrivals where every activation's arrival and model-load time are recorded (the pre-loader reads them)
     * @param warm     remembers each action's last message, so warm containers can be started ahead of demand
     */
    public ActivationService(
            MessagingProvider messaging,
            JdbcClient jdbc,
            ArtifactStore artifacts,
            ContainerPool pool,
            Arrivals arrivals,
            WarmStarter warm,
            Clock clock,
            int invoker) {
        this.messaging = messaging;
        this.invoker = invoker;
        this.runner = new ActivationRunner(artifacts, pool, arrivals, warm, clock);
        this.sink = new ActivationSink(jdbc, messaging.producer(), invoker);
    }

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
        inFlight.incrementAndGet();
        Thread.ofVirtual().name("activation-" + msg.activationId()).start(() -> {
            try {
                handle(msg);
            } catch (RuntimeException e) {
                log.error("activation {} could not be recorded", msg.activationId(), e);
            } finally {
                inFlight.decrementAndGet();
            }
        });
    }

    private void handle(ActivationMessage msg) {
        Outcome outcome = runner.run(msg);
        Activation activation = ActivationRecords.activation(msg, outcome);
        sink.accept(
                activation,
                msg.controller(),
                msg.limits().memory(),
                ActivationRecords.event(msg, outcome, activation, invoker));
    }

    /** Stops consuming; activations already running finish on their own threads. */
    @Override
    public synchronized void close() {
        if (feed != null) {
            feed.close();
            feed = null;
        }
    }
}
