package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.messaging.MessageConsumer;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.common.messaging.MessagingProvider.Pace;
import dev.hearth.common.messaging.kafka.KafkaMessagingProvider;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers' and producers' pace on a real broker: a prompt reader gets a trickle of messages poll by poll,
 * a batched one in a few polls that each carry what arrived in up to half a second; a batched producer's
 * trickle reaches even a prompt reader in a few lumps, each what the producer held for up to 200 ms.
 */
class MessagingPaceTest {
    private static final int MESSAGES = 20;

    @TempDir
    static Path dir;

    static KafkaBroker broker;
    static KafkaMessagingProvider messaging;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start(dir, Platform.freePort(), Platform.freePort(), Duration.ofSeconds(60));
        messaging = new KafkaMessagingProvider(broker.bootstrapServers(), "pace-test");
    }

    @AfterAll
    static void stop() {
        if (messaging != null) {
            messaging.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aPromptReaderGetsATrickleAsItComesAndABatchedOneInAFewPolls() throws Exception {
        messaging.ensureTopic("pace", 1, Duration.ofHours(1));
        try (MessageConsumer prompt = messaging.consumer("pace", "prompt", true, 500);
                MessageConsumer batched = messaging.consumer("pace", "batched", true, 500, Pace.BATCHED)) {
            Thread sender = Thread.ofPlatform().start(() -> {
                MessageProducer producer = messaging.producer();
                for (int i = 0; i < MESSAGES; i++) {
                    producer.send("pace", ("m" + i).getBytes(StandardCharsets.UTF_8));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Integer> promptPolls = new ArrayList<>();
            List<Integer> batchedPolls = new ArrayList<>();
            Thread promptReader = Thread.ofPlatform().start(() -> readAll(prompt, promptPolls));
            readAll(batched, batchedPolls);
            promptReader.join();
            sender.join();

            assertThat(promptPolls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);
            assertThat(batchedPolls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);
            // 20 messages 20 ms apart: ~400 ms of them, so at most a few batches of up to 500 ms
            assertThat(batchedPolls).as("messages per non-empty poll").hasSizeLessThanOrEqualTo(3);
            assertThat(promptPolls).as("messages per non-empty poll").hasSizeGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void aBatchedProducersTrickleArrivesInLumps() throws Exception {
        messaging.ensureTopic("pace-out", 1, Duration.ofHours(1));
        try (MessageConsumer prompt = messaging.consumer("pace-out", "prompt", true, 500)) {
            Thread sender = Thread.ofPlatform().start(() -> {
                MessageProducer producer = messaging.producer(Pace.BATCHED);
                for (int i = 0; i < MESSAGES; i++) {
                    producer.send("pace-out", ("m" + i).getBytes(StandardCharsets.UTF_8));
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            List<Integer> polls = new ArrayList<>();
            readAll(prompt, polls);
            sender.join();

            assertThat(polls.stream().mapToInt(Integer::intValue).sum()).isEqualTo(MESSAGES);
            // ~400 ms of messages held up to 200 ms each time: two or three sends (the prompt producer: ~20)
            assertThat(polls).as("messages per non-empty poll").hasSizeLessThanOrEqualTo(4);
        }
    }

    /**
     * An idle reader's fetch waits at the broker for seconds, not half a second, and it commits nothing;
     * what it consumes is committed within about a second, and what is left pending when it closes is
     * committed then. Before: a fetch answer every 500 ms and an OffsetCommit request every second, each
     * idle reader.
     */
    @Test
    void anIdleReaderAsksRarelyAndCommitsOnlyWhatItConsumed() throws Exception {
        messaging.ensureTopic("pace-idle", 1, Duration.ofHours(1));
        String clientId = "pace-test-pace-idle";
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            MessageConsumer reader = messaging.consumer("pace-idle", "idle", false, 500);
            try {
                pollFor(reader, Duration.ofSeconds(3));
                assertThat(metric("consumer-fetch-manager-metrics", clientId, "fetch-total"))
                        .as("fetch answers in 3 s idle")
                        .isLessThanOrEqualTo(1);
                assertThat(metric("consumer-coordinator-metrics", clientId, "commit-total"))
                        .as("commits while idle")
                        .isZero();

                MessageProducer producer = messaging.producer();
                for (int i = 0; i < 5; i++) {
                    producer.send("pace-idle", ("m" + i).getBytes(StandardCharsets.UTF_8));
                }
                List<Integer> polls = new ArrayList<>();
                readAll(reader, polls, 5);
                pollFor(reader, Duration.ofMillis(1500));
                assertThat(committed(admin, "idle")).isEqualTo(5);
                double commits = metric("consumer-coordinator-metrics", clientId, "commit-total");
                assertThat(commits).as("commits for one batch").isBetween(1.0, 2.0);

                for (int i = 0; i < 3; i++) {
                    producer.send("pace-idle", ("n" + i).getBytes(StandardCharsets.UTF_8));
                }
                readAll(reader, new ArrayList<>(), 3);
            } finally {
                reader.close();
            }
            assertThat(committed(admin, "idle")).as("committed at close").isEqualTo(8);
        }
    }

    private static void pollFor(MessageConsumer consumer, Duration time) {
        long end = System.nanoTime() + time.toNanos();
        for (long left = time.toNanos(); left > 0; left = end - System.nanoTime()) {
            assertThat(consumer.poll(Duration.ofNanos(left))).isEmpty();
        }
    }

    private static double metric(String type, String clientId, String name) throws Exception {
        return (Double) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName("kafka.consumer:type=" + type + ",client-id=" + clientId), name);
    }

    private static long committed(Admin admin, String group) throws Exception {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
    }

    private static void readAll(MessageConsumer consumer, List<Integer> polls) {
        readAll(consumer, polls, MESSAGES);
    }

    /** Polls until all messages came, noting how many each non-empty poll returned. */
    private static void readAll(MessageConsumer consumer, List<Integer> polls, int messages) {
        int seen = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (seen < messages && System.nanoTime() < deadline) {
            int n = consumer.poll(Duration.ofSeconds(1)).size();
            if (n > 0) {
                polls.add(n);
                seen += n;
            }
        }
    }
}
