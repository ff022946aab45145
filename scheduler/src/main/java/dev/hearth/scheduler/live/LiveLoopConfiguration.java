package dev.hearth.scheduler.live;

import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.MessagingProvider.Pace;
import dev.hearth.scheduler.SchedulerProperties;
import dev.hearth.scheduler.policy.Policies;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the live loop: {@code health} (every ping, as a broadcast), {@code events} (its own consumer group,
 * beside the activity meter's) and {@code entities} (deleted actions) into {@link LiveState}, and the
 * {@link SchedulingLoop} running the configured policy.
 */
@Configuration(proxyBeanMethods = false)
class LiveLoopConfiguration {

    @Bean
    LiveState liveState(SchedulerProperties props) {
        return new LiveState(props.historyWindows());
    }

    @Bean(destroyMethod = "close")
    MessageFeed healthFeed(MessagingProvider messaging, SchedulerProperties props, LiveState state) {
        messaging.ensureTopic(Topics.HEALTH, 1, Duration.ofHours(1));
        Clock clock = Clock.systemUTC();
        return new MessageFeed(
                        "scheduler-health",
                        messaging.consumer(Topics.HEALTH, props.group() + "-health", true, 500),
                        bytes -> state.onPing(Messages.decode(bytes, HealthPing.class), clock.millis()))
                .start();
    }

    @Bean(destroyMethod = "close")
    MessageFeed loadFeed(MessagingProvider messaging, SchedulerProperties props, LiveState state) {
        messaging.ensureTopic(Topics.EVENTS, 1, Duration.ofDays(1));
        return new MessageFeed(
                        "scheduler-load",
                        messaging.consumer(Topics.EVENTS, props.group() + "-load", true, 500, Pace.BATCHED),
                        bytes -> state.onEvent(Messages.decode(bytes, ActivationEvent.class)))
                .start();
    }

    @Bean(destroyMethod = "close")
    MessageFeed entitiesFeed(MessagingProvider messaging, SchedulerProperties props, LiveState state) {
        messaging.ensureTopic(Topics.ENTITIES, 1, Duration.ofHours(1));
        return new MessageFeed(
                        "scheduler-entities",
                        messaging.consumer(Topics.ENTITIES, props.group() + "-entities", true, 100),
                        bytes -> state.onChange(Messages.decode(bytes, ActionChange.class)))
                .start();
    }

    @Bean(destroyMethod = "close")
    SchedulingLoop schedulingLoop(
            MessagingProvider messaging, SchedulerProperties props, LiveState state, MeterRegistry registry) {
        messaging.ensureTopic(Topics.SCHEDULING, 1, Duration.ofHours(1));
        return new SchedulingLoop(
                        Policies.byName(props.policy()),
                        state,
                        messaging.producer(),
                        Clock.systemUTC(),
                        props.interval().toMillis(),
                        props.coresPerInvoker(),
                        registry)
                .start();
    }
}
