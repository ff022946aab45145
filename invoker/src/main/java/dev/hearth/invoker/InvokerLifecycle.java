package dev.hearth.invoker;

import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.invoker.activation.ActivationService;
import dev.hearth.invoker.health.HealthPinger;
import dev.hearth.invoker.pool.ContainerPool;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Start: make sure the topics exist ({@code invoker{N}}, {@code health}, {@code events}), start
 * pinging, start consuming. Stop, in reverse: stop consuming, stop pinging, destroy every container.
 */
final class InvokerLifecycle implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(InvokerLifecycle.class);
    static final Duration RETENTION = Duration.ofDays(1);

    private final MessagingProvider messaging;
    private final ActivationService activations;
    private final HealthPinger pinger;
    private final ContainerPool pool;
    private final int instance;
    private volatile boolean running;

    InvokerLifecycle(
            MessagingProvider messaging,
            ActivationService activations,
            HealthPinger pinger,
            ContainerPool pool,
            int instance) {
        this.messaging = messaging;
        this.activations = activations;
        this.pinger = pinger;
        this.pool = pool;
        this.instance = instance;
    }

    @Override
    public void start() {
        for (String topic : new String[] {Topics.invoker(instance), Topics.HEALTH, Topics.EVENTS}) {
            messaging.ensureTopic(topic, 1, RETENTION);
        }
        pinger.start();
        activations.start();
        running = true;
        log.info("invoker {} consuming {}", instance, Topics.invoker(instance));
    }

    @Override
    public void stop() {
        running = false;
        activations.close();
        pinger.close();
        pool.close();
        log.info("invoker {} stopped; containers destroyed", instance);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
