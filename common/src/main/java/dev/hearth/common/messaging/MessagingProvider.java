package dev.hearth.common.messaging;

import java.time.Duration;

/**
 * The messaging port: everything a service needs from Kafka, and nothing more. Implementations:
 * {@link dev.hearth.common.messaging.kafka.KafkaMessagingProvider}; an in-memory one in test-support
 * for unit tests.
 */
public interface MessagingProvider extends AutoCloseable {

    /** A producer shared by the caller's threads; each message goes out at once. */
    MessageProducer producer();

    /**
     * A producer at the given pace: a {@link Pace#BATCHED} one may hold a message up to {@link
     * Pace#BATCH_LINGER} to send it with the others of that time in one request (for messages whose readers
     * are {@link Pace#BATCHED} too, such as per-activation events).
     */
    default MessageProducer producer(Pace pace) {
        return producer();
    }

    /**
     * The one reader of a topic for {@code group}. With {@code fromLatest} it sees only messages sent
     * after it was made (broadcasts such as health pings) and keeps no offsets; otherwise it resumes
     * where the group's last reader stopped, or at the earliest retained message.
     */
    MessageConsumer consumer(String topic, String group, boolean fromLatest, int maxPollRecords);

    /**
     * {@link #consumer(String, String, boolean, int)} at the given pace: a {@link Pace#BATCHED} reader gets
     * what arrived up to {@link Pace#BATCH_WAIT} late, in fewer and larger polls (for readers no caller
     * waits on, such as the scheduler's of per-activation events).
     */
    default MessageConsumer consumer(String topic, String group, boolean fromLatest, int maxPollRecords, Pace pace) {
        return consumer(topic, group, fromLatest, maxPollRecords);
    }

    /** How soon a consumer sees a message. */
    enum Pace {
        /** As soon as it is there: the invocation path's topics. */
        PROMPT,
        /**
         * Up to {@link #BATCH_WAIT} later, with what else arrived meanwhile: one wake-up of the reader (and one
         * answer of the broker) per batch instead of per message.
         */
        BATCHED;

        public static final Duration BATCH_WAIT = Duration.ofMillis(500);

        /** How long a {@link #BATCHED} producer may hold a message for others to join it. */
        public static final Duration BATCH_LINGER = Duration.ofMillis(200);
    }

    /** Creates the topic when it does not exist; safe to call concurrently from several services. */
    void ensureTopic(String topic, int partitions, Duration retention);

    @Override
    void close();
}
