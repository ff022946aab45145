package dev.hearth.common.messaging;

import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that polls a consumer and hands each message to a handler, in order. A
 * handler that throws is logged and the feed goes on: one bad message must not stop a service.
 * Handlers must be quick (hand work to an executor or queue).
 */
public final class MessageFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageFeed.class);
    /** How long one poll blocks when nothing comes; {@link #close} wakes it, so this delays nothing. */
    private static final Duration POLL = Duration.ofSeconds(5);

    private final String name;
    private final MessageConsumer consumer;
    private final Consumer<byte[]> handler;
    private final Thread thread;
    private volatile boolean running = true;

    public MessageFeed(String name, MessageConsumer consumer, Consumer<byte[]> handler) {
        this.name = name;
        this.consumer = consumer;
        this.handler = handler;
        this.thread = Thread.ofPlatform().name("feed-" + name).daemon().unstarted(this::loop);
    }

    public MessageFeed start() {
        thread.start();
        return this;
    }

    private void loop() {
        while (running) {
            try {
                for (byte[] message : consumer.poll(POLL)) {
                    try {
                        handler.accept(message);
                    } catch (RuntimeException e) {
                        log.warn("feed {}: handler failed on a message: {}", name, e.toString(), e);
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("feed {}: poll failed, retrying: {}", name, e.toString());
                    sleepQuietly();
                }
            }
        }
        consumer.close();
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
