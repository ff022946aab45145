package dev.hearth.scheduler;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The scheduler's settings ({@code hearth.scheduler.*}).
 *
 * @param kafkaBootstrapServers where the {@code events} topic lives
 * @param group the consumer group; one scheduler per group sees every event
 */
@ConfigurationProperties("hearth.scheduler")
public record SchedulerProperties(String kafkaBootstrapServers, String group) {
    public SchedulerProperties {
        if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "hearth.scheduler.kafka-bootstrap-servers must be set (host:port of a Kafka broker)");
        }
        if (group == null || group.isBlank()) {
            group = "scheduler";
        }
    }
}
