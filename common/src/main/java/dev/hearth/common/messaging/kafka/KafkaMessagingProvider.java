package dev.hearth.common.messaging.kafka;

import dev.hearth.common.messaging.MessageConsumer;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.MessagingProvider.Pace;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The messaging port over Apache Kafka. Tuned for the invocation path's latency: no producer
 * linger, fetches return as soon as one record is there (a {@link Pace#BATCHED} reader's and writer's
 * excepted). An
 * empty fetch waits at the broker for {@link #IDLE_FETCH_WAIT}: the wait delays no record, it only sets how
 * often an idle consumer asks again (a standalone platform has seven; at 100 ms its broker spent 50–75 ms
 * of CPU a second while idle, at Kafka's default 500 ms 30–45), and offsets are committed only when they
 * moved ({@link OffsetCommits}). One producer per provider and pace (Kafka producers are
 * thread-safe); one consumer per {@link #consumer} call.
 *
 * <p>The {@link Pace#BATCHED} producer lingers {@link Pace#BATCH_LINGER}: at 50 warm calls a second,
 * one event per call had cost its network thread and the broker a request each, on the cores the next
 * call's forward pass was running on.
 */
public final class KafkaMessagingProvider implements MessagingProvider {
    /**
     * How long a prompt reader's fetch waits at the broker when nothing is there. A record ends the wait at
     * once, so this delays nothing; it sets how often an idle reader asks again.
     */
    static final Duration IDLE_FETCH_WAIT = Duration.ofSeconds(5);

    /** What a batched fetch waits for at most, in bytes (a few thousand events). */
    static final int BATCHED_FETCH_BYTES = 1024 * 1024;

    private final String bootstrapServers;
    private final String clientId;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private KafkaProducer<String, byte[]> batchedProducer; // made at its first use, guarded by this

    public KafkaMessagingProvider(String bootstrapServers, String clientId) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = clientId;
        this.producer = newProducer("-producer", Duration.ZERO);
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-admin");
        this.admin = Admin.create(a);
    }

    private KafkaProducer<String, byte[]> newProducer(String suffix, Duration linger) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + suffix);
        p.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public MessageProducer producer() {
        return sending(producer);
    }

    @Override
    public synchronized MessageProducer producer(Pace pace) {
        if (pace == Pace.PROMPT) {
            return producer();
        }
        if (batchedProducer == null) {
            batchedProducer = newProducer("-batched-producer", Pace.BATCH_LINGER);
        }
        return sending(batchedProducer);
    }

    private static MessageProducer sending(KafkaProducer<String, byte[]> producer) {
        return (topic, message) -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(topic, message), (meta, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
            return done;
        };
    }

    /**
     * Consumers are assigned every partition of their topic instead of joining a consumer group:
     * each Hearth topic has exactly one reader per group, so group membership buys nothing and
     * costs a rebalance on every start, and after a crash the dead member blocks the group until its
     * session expires (45 s). The group id only names where offsets are committed.
     */
    @Override
    public MessageConsumer consumer(String topic, String group, boolean fromLatest, int maxPollRecords) {
        return consumer(topic, group, fromLatest, maxPollRecords, Pace.PROMPT);
    }

    /**
     * A {@link Pace#BATCHED} reader's fetches wait at the broker for {@link #BATCHED_FETCH_BYTES} or
     * {@link Pace#BATCH_WAIT}, whichever comes first, instead of returning with the first record: at 40
     * warm calls a second the scheduler's two readers of {@code events} were 80 fetch answers a second.
     */
    @Override
    public MessageConsumer consumer(String topic, String group, boolean fromLatest, int maxPollRecords, Pace pace) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        if (pace == Pace.BATCHED) {
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) Pace.BATCH_WAIT.toMillis());
            p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, BATCHED_FETCH_BYTES);
        } else {
            p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) IDLE_FETCH_WAIT.toMillis());
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false); // see OffsetCommits
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        try {
            // A topic created a moment ago may not be in the broker's metadata yet: ask again briefly.
            List<TopicPartition> partitions = List.of();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.isEmpty()) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition()))
                        .toList();
                if (partitions.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("topic " + topic + " has no partitions");
                    }
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
                    }
                }
            }
            consumer.assign(partitions);
            if (fromLatest) {
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // fix the position now, not at the first poll
            }
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        return new KafkaTopicConsumer(consumer, !fromLatest);
    }

    @Override
    public void ensureTopic(String topic, int partitions, Duration retention) {
        NewTopic t = new NewTopic(topic, partitions, (short) 1)
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        Long.toString(retention.toMillis()),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        Integer.toString(8 * 1024 * 1024)));
        try {
            admin.createTopics(List.of(t)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
        synchronized (this) {
            if (batchedProducer != null) {
                batchedProducer.close(Duration.ofSeconds(2)); // sends what still lingers
            }
        }
        admin.close(Duration.ofSeconds(2));
    }

    /** Polls one consumer; commits what it consumed through {@link OffsetCommits} unless it reads from the latest. */
    private static final class KafkaTopicConsumer implements MessageConsumer {
        private final KafkaConsumer<String, byte[]> consumer;
        private final OffsetCommits commits; // null: keeps no offsets

        KafkaTopicConsumer(KafkaConsumer<String, byte[]> consumer, boolean keepsOffsets) {
            this.consumer = consumer;
            this.commits = keepsOffsets ? new OffsetCommits(() -> consumer.commitAsync(), System::nanoTime) : null;
        }

        @Override
        public List<byte[]> poll(Duration timeout) {
            try {
                if (commits == null) {
                    return values(consumer.poll(timeout));
                }
                commits.commitIfDue();
                List<byte[]> out = values(consumer.poll(commits.bound(timeout)));
                if (out.isEmpty()) {
                    commits.commitIfDue();
                } else {
                    commits.consumed();
                }
                return out;
            } catch (WakeupException e) {
                return List.of();
            }
        }

        private static List<byte[]> values(ConsumerRecords<String, byte[]> records) {
            if (records.isEmpty()) {
                return List.of();
            }
            var out = new java.util.ArrayList<byte[]>(records.count());
            for (ConsumerRecord<String, byte[]> r : records) {
                out.add(r.value());
            }
            return out;
        }

        @Override
        public void wakeup() {
            consumer.wakeup();
        }

        @Override
        public void close() {
            try {
                if (commits != null && commits.pending()) {
                    consumer.commitSync(Duration.ofSeconds(2));
                }
            } catch (RuntimeException e) {
                // a wakeup or a broker that is gone: what was not committed is read again, as after a crash
            }
            try {
                consumer.close(Duration.ofSeconds(2));
            } catch (RuntimeException ignored) {
                // closing after a wakeup may throw; the consumer is gone either way
            }
        }
    }
}
