package dev.hearth.controller.action;

import dev.hearth.common.id.TransactionId;
import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.controller.config.ControllerProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tells everyone on {@code entities} when this controller has updated or deleted an action ({@link
 * ActionChange}), and follows what the others publish there: each change drops the action from this
 * controller's {@link ActionCache}, so an update made through another controller is seen at once rather than
 * after the cache's time-to-live. A change that cannot be sent is logged, never failed back to the caller:
 * the action is stored, and the readers' own rules (the cache's time-to-live, keep-alive) still end what
 * the message would have ended sooner.
 */
@Component
class ActionChanges implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ActionChanges.class);
    static final Duration RETENTION = Duration.ofHours(1);

    private final MessagingProvider messaging;
    private final MessageProducer producer;
    private final ActionCache cache;
    private final int instance;
    private volatile MessageFeed feed;

    ActionChanges(MessagingProvider messaging, ActionCache cache, ControllerProperties properties) {
        this.messaging = messaging;
        this.producer = messaging.producer();
        this.cache = cache;
        this.instance = properties.instance();
    }

    void updated(String namespace, String name, String version, long at) {
        send(ActionChange.updated(TransactionId.generate().value(), namespace + "/" + name, version, at));
    }

    void deleted(String namespace, String name, long at) {
        send(ActionChange.deleted(TransactionId.generate().value(), namespace + "/" + name, at));
    }

    private void send(ActionChange change) {
        try {
            producer.send(Topics.ENTITIES, Messages.encode(change)).whenComplete((ok, e) -> {
                if (e != null) {
                    log.warn("could not publish {} of {}: {}", change.change(), change.action(), e.toString());
                }
            });
        } catch (RuntimeException e) {
            log.warn("could not publish {} of {}: {}", change.change(), change.action(), e.toString());
        }
    }

    private void accept(byte[] bytes) {
        ActionChange change = Messages.decode(bytes, ActionChange.class);
        cache.invalidate(change.action());
    }

    @Override
    public void start() {
        messaging.ensureTopic(Topics.ENTITIES, 1, RETENTION);
        feed = new MessageFeed(
                        "entities-controller" + instance,
                        messaging.consumer(Topics.ENTITIES, "controller" + instance + "-entities", true, 100),
                        this::accept)
                .start();
    }

    @Override
    public void stop() {
        MessageFeed f = feed;
        feed = null;
        if (f != null) {
            f.close();
        }
    }

    @Override
    public boolean isRunning() {
        return feed != null;
    }
}
