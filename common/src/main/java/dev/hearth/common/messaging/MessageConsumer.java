package dev.hearth.common.messaging;

import java.time.Duration;
import java.util.List;

/** Polls one topic. Not thread-safe: one thread polls (see {@link MessageFeed}). */
public interface MessageConsumer extends AutoCloseable {
    /** Waits up to {@code timeout} for messages; an empty list when none came. */
    List<byte[]> poll(Duration timeout);

    /** Wakes a blocked {@link #poll}; it then throws or returns empty. Safe from any thread. */
    void wakeup();

    @Override
    void close();
}
