package dev.hearth.scheduler;

import dev.hearth.common.message.Topics;
import dev.hearth.common.messaging.MessageFeed;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.MessagingProvider.Pace;
import dev.hearth.common.messaging.kafka.KafkaMessagingProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the events feed: Kafka (unless a test supplies another port) → {@link ActivityMeter}. */
@Configuration(proxyBeanMethods = false)
class EventsConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MessagingProvider messagingProvider(SchedulerProperties props) {
        return new KafkaMessagingProvider(props.kafkaBootstrapServers(), "scheduler");
    }

    @Bean(destroyMethod = "close")
    MessageFeed eventsFeed(MessagingProvider messaging, SchedulerProperties props, MeterRegistry registry) {
        messaging.ensureTopic(Topics.EVENTS, 1, Duration.ofDays(1));
        ActivityMeter meter = new ActivityMeter(registry);
        return new MessageFeed(
                        "events",
                        messaging.consumer(Topics.EVENTS, props.group(), true, 500, Pace.BATCHED),
                        meter::accept)
                .start();
    }
}
