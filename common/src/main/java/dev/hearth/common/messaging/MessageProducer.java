package dev.hearth.common.messaging;

import java.util.concurrent.CompletableFuture;

/** Sends bytes to a topic. The future completes when the broker has the message. */
public interface MessageProducer {
    CompletableFuture<Void> send(String topic, byte[] message);
}
