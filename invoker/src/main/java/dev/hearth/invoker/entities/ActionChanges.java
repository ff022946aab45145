package dev.hearth.invoker.entities;

import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.invoker.activation.WarmStarter;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.preload.Arrivals;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows {@code entities} (from the latest, in this invoker's own group) and ends what the invoker kept for
 * an action that was updated or deleted ({@link ActionChange}):
 * <ul>
 *   <li>its containers holding the old code are retired — idle ones removed now, busy ones when released
 *       ({@link ContainerPool#retire}); after an update the new version's are kept;</li>
 *   <li>{@link WarmStarter} forgets the call it would start the action from, so no warm target starts the old
 *       code (or a deleted action) ahead of demand; calls made before the change still run, but their
 *       containers go when they end;</li>
 *   <li>the pre-loader's {@link Arrivals} forget the action, so its model is not pre-loaded for it.</li>
 * </ul>
 * A call made after the change brings the action back, as new.
 */
public final class ActionChanges implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ActionChanges.class);

    private final ContainerPool pool;
    private final WarmStarter warm;
    private final Arrivals arrivals;
    private final MessageFeed feed;

    public ActionChanges(
            MessagingProvider messaging, int invoker, ContainerPool pool, WarmStarter warm, Arrivals arrivals) {
        this.pool = pool;
        this.warm = warm;
        this.arrivals = arrivals;
        messaging.ensureTopic(Topics.ENTITIES, 1, Duration.ofHours(1));
        this.feed = new MessageFeed(
                        "entities",
                        messaging.consumer(Topics.ENTITIES, "invoker" + invoker + "-entities", true, 100),
                        this::accept)
                .start();
    }

    private void accept(byte[] bytes) {
        apply(Messages.decode(bytes, ActionChange.class));
    }

    /** Ends what was kept for the action before {@code change}. */
    void apply(ActionChange change) {
        warm.forget(change.action(), change.changedAt());
        arrivals.forget(change.action());
        int removed = pool.retire(change.action(), change.version());
        log.info(
                "{} {}: {} idle container(s) of its old code removed",
                change.change() == ActionChange.Change.DELETED ? "deleted" : "updated to " + change.version(),
                change.action(),
                removed);
    }

    @Override
    public void close() {
        feed.close();
    }
}
