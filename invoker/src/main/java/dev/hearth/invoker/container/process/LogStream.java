package dev.hearth.invoker.container.process;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one stream (stdout or stderr) of one container, cut into activations at the
 * sentinel line. A reader thread feeds it ({@link #line}, {@link #eof}); the activation's thread
 * takes one activation's lines ({@link #take}). When a sentinel is late (the activation's lines are
 * taken without it), the late sentinel and the lines before it are dropped rather than given to the
 * next activation. Lines past the byte cap are dropped and the segment is marked truncated.
 */
public final class LogStream {
    public static final String SENTINEL = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    /** One activation's lines of this stream. */
    public record Segment(List<LogLine> lines, boolean truncated) {
        /** An activation that printed nothing on the stream (and got no sentinel on it). */
        public static final Segment NONE = new Segment(List.of(), false);
    }

    private final String name;
    private final Clock clock;
    private final ArrayDeque<Segment> completed = new ArrayDeque<>();
    private List<LogLine> current = new ArrayList<>();
    private long currentBytes;
    private boolean currentTruncated;
    private long capBytes = Long.MAX_VALUE;
    private int lateSentinels;
    private boolean eof;

    public LogStream(String name, Clock clock) {
        this.name = name;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** Called by the reader thread for every line. */
    public synchronized void line(String text) {
        if (SENTINEL.equals(text)) {
            if (lateSentinels > 0) {
                lateSentinels--;
            } else {
                completed.add(new Segment(List.copyOf(current), currentTruncated));
            }
            resetCurrent();
            notifyAll();
            return;
        }
        long bytes = text.getBytes(StandardCharsets.UTF_8).length + 1L;
        if (currentBytes + bytes > capBytes) {
            currentTruncated = true;
            return;
        }
        currentBytes += bytes;
        current.add(new LogLine(clock.instant(), name, text));
    }

    public synchronized void eof() {
        eof = true;
        notifyAll();
    }

    public synchronized boolean atEof() {
        return eof;
    }

    /** Caps what the current activation may keep in memory (its log limit). */
    public synchronized void cap(long bytes) {
        capBytes = bytes;
    }

    /** Forgets what was printed so far (start-up noise before the first activation). */
    public synchronized void discard() {
        completed.clear();
        resetCurrent();
    }

    /**
     * The next activation's lines: waits up to {@code wait} for its sentinel (or the end of the
     * stream); without one, takes what has been printed so far and drops the late sentinel later.
     */
    public synchronized Segment take(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (completed.isEmpty() && !eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        if (!completed.isEmpty()) {
            return completed.poll();
        }
        Segment partial = new Segment(List.copyOf(current), currentTruncated);
        if (!eof) {
            lateSentinels++;
        }
        resetCurrent();
        return partial;
    }

    /** Waits up to {@code wait} for the end of the stream (the process is dying). */
    public synchronized void awaitEof(Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!eof) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private void resetCurrent() {
        current = new ArrayList<>();
        currentBytes = 0;
        currentTruncated = false;
    }
}
