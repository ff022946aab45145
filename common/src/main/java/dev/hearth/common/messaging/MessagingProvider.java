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
     * The one reader of a topic for {@code group}. With {@code fromLatest} it sees only messages sent
     * after it was made (broadcasts such as health pings) and keeps no offsets; otherwise it resumes
     * where the group's last reader stopped, or at the earliest retained message.
     */
    MessageConsumer consumer(String topic, String group, boolean fromLatest, int maxPollRecords);

    /** Creates the topic when it does not exist; safe to call concurrently from several services. */
    void ensureTopic(String topic, int partitions, Duration retention);

    @Override
    void close();
}
