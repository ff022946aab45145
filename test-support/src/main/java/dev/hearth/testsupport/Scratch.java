package dev.hearth.testsupport;

import dev.hearth.common.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Temporary directories that tests and benchmarks leave nothing of: each is deleted when the JVM exits,
 * after the things registered with {@link #closeAtExit} (platforms writing into them) are closed.
 * Data directories hold PostgreSQL, Kafka and DJL caches — about 0.6 GB each — so a leaked one per run
 * fills a disk within days.
 */
public final class Scratch {
    private static final List<Path> DIRS = new ArrayList<>();
    private static final Deque<AutoCloseable> CLOSERS = new ArrayDeque<>();
    private static boolean hooked;

    private Scratch() {}

    /** A new empty directory under the system's temporary directory, deleted at exit. */
    public static synchronized Path dir(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            DIRS.add(dir);
            hook();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes {@code resource} at exit before any scratch directory is deleted (last registered first). */
    public static synchronized void closeAtExit(AutoCloseable resource) {
        CLOSERS.push(resource);
        hook();
    }

    private static void hook() {
        if (!hooked) {
            hooked = true;
            Runtime.getRuntime().addShutdownHook(new Thread(Scratch::cleanUp, "scratch-cleanup"));
        }
    }

    private static synchronized void cleanUp() {
        while (!CLOSERS.isEmpty()) {
            try {
                CLOSERS.pop().close();
            } catch (Exception e) {
                System.err.println("scratch: while closing: " + e);
            }
        }
        for (Path dir : DIRS) {
            try {
                FileTrees.delete(dir);
            } catch (IOException e) {
                System.err.println("scratch: could not delete " + dir + ": " + e);
            }
        }
    }
}
