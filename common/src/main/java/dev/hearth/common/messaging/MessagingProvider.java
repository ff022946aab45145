package dev.hearth.common.messaging;

import java.time.Duration;

/**
 * The messaging port: everything a service needs from Kafka, and nothing more. Implementations:
 * {@link dev.hearth.common.messaging.kafka.KafkaMessagingProvider}; an in-memory one in test-support
 * for unit tests.
 */
public interface MessagingProvider extends AutoCloseable {

    /** A producer shared by the caller's threads. */
    MessageProducer producer();

    /**
     * A consumer of one topic in a consumer group. {@code fromLatest} skips messages sent before the
     * group first joined (completions, pings); otherwise it starts from the earliest retained offset.
     */
    MessageConsumer consumer(String topic, String group, boolean fromLatest, int maxPollRecords);

    /** Creates the topic when it does not exist; safe to call concurrently from several services. */
    void ensureTopic(String topic, int partitions, Duration retention);

    @Override
    void close();
}
