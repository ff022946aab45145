package dev.hearth.testsupport;

import dev.hearth.common.messaging.MessageConsumer;
import dev.hearth.common.messaging.MessageProducer;
import dev.hearth.common.messaging.MessagingProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The messaging port in memory, for unit tests of the code around it. Each consumer group of a
 * topic gets every message sent after it subscribed (or all retained ones with fromLatest=false).
 * {@link #sent(String)} shows what was sent to a topic.
 */
public final class InMemoryMessaging implements MessagingProvider {
    private final Map<String, List<byte[]>> log = new ConcurrentHashMap<>();
    private final Map<String, List<LinkedBlockingQueue<byte[]>>> queues = new ConcurrentHashMap<>();

    @Override
    public MessageProducer producer() {
        return (topic, message) -> {
            synchronized (this) {
                log.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(message);
                for (LinkedBlockingQueue<byte[]> q : queues.getOrDefault(topic, List.of())) {
                    q.add(message);
                }
            }
            return CompletableFuture.completedFuture(null);
        };
    }

    @Override
    public synchronized MessageConsumer consumer(String topic, String group, boolean fromLatest, int max) {
        LinkedBlockingQueue<byte[]> q = new LinkedBlockingQueue<>();
        if (!fromLatest) {
            q.addAll(log.getOrDefault(topic, List.of()));
        }
        queues.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(q);
        return new MessageConsumer() {
            private volatile boolean woken;

            @Override
            public List<byte[]> poll(Duration timeout) {
                List<byte[]> out = new ArrayList<>();
                try {
                    byte[] first = q.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    if (first != null && !woken) {
                        out.add(first);
                        q.drainTo(out, max - 1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                woken = false;
                return out;
            }

            @Override
            public void wakeup() {
                woken = true;
            }

            @Override
            public void close() {
                queues.getOrDefault(topic, List.of()).remove(q);
            }
        };
    }

    @Override
    public void ensureTopic(String topic, int partitions, Duration retention) {
        log.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
    }

    /** Everything sent to {@code topic} so far, in order. */
    public List<byte[]> sent(String topic) {
        return List.copyOf(log.getOrDefault(topic, List.of()));
    }

    @Override
    public void close() {}
}
