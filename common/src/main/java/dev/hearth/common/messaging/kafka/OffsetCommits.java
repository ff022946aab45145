package dev.hearth.common.messaging.kafka;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When a reader commits its offsets: what it consumed, at most once per {@link #INTERVAL}, and nothing
 * while nothing arrives.
 *
 * <p>Kafka's auto-commit sends a consumer's offsets every interval whether or not they moved: each idle
 * reader of a standalone platform was an OffsetCommit request a second, appended by the broker's group
 * coordinator to {@code __consumer_offsets}, on the cores a warm call's forward pass runs on. Here a poll
 * that returned messages marks the offsets pending; the next poll commits them (asynchronously, as
 * auto-commit does) when an interval has passed since the last commit, and otherwise blocks no longer
 * than until it has ({@link #bound}), so a pending commit is at most an interval late, as with
 * auto-commit. The first batch after a quiet spell is committed at the next poll.
 *
 * <p>Example, interval 1 s: messages at t=0 → committed at the next poll (t≈0); more at t=0.3 → the
 * next poll blocks at most 0.7 s and commits at t=1.0; nothing after → no commit until the next message.
 */
final class OffsetCommits {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Runnable commit;
    private final LongSupplier nanoClock;
    private boolean pending;
    private long lastCommit;

    /** @param commit sends the consumed offsets (the consumer's {@code commitAsync}) */
    OffsetCommits(Runnable commit, LongSupplier nanoClock) {
        this.commit = commit;
        this.nanoClock = nanoClock;
        this.lastCommit = nanoClock.getAsLong() - INTERVAL.toNanos();
    }

    /** A poll returned messages: their offsets are to be committed. */
    void consumed() {
        pending = true;
    }

    /** Whether offsets wait to be committed. */
    boolean pending() {
        return pending;
    }

    /** How long the next poll may block: {@code timeout}, or less so that a pending commit is not late. */
    Duration bound(Duration timeout) {
        if (!pending) {
            return timeout;
        }
        long due = lastCommit + INTERVAL.toNanos() - nanoClock.getAsLong();
        return due <= 0
                ? Duration.ZERO
                : timeout.compareTo(Duration.ofNanos(due)) < 0 ? timeout : Duration.ofNanos(due);
    }

    /** Commits the pending offsets when an interval has passed since the last commit. */
    void commitIfDue() {
        long now = nanoClock.getAsLong();
        if (pending && now - lastCommit >= INTERVAL.toNanos()) {
            commit.run();
            pending = false;
            lastCommit = now;
        }
    }
}
