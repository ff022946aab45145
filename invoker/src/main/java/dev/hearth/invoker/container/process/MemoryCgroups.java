package dev.hearth.invoker.container.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory limits for container processes with cgroup v1: {@code <root>/<container id>} gets
 * {@code memory.limit_in_bytes} = the action's memory, then the process's pid in {@code cgroup.procs}.
 * Where the root is not writable (no cgroup v1, not root), this logs once and containers run without a
 * kernel limit (their heap is still capped by {@code -Xmx}) and it is not tried again.
 */
final class MemoryCgroups {
    private static final Logger log = LoggerFactory.getLogger(MemoryCgroups.class);

    private final Path root;
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile boolean unusable;

    MemoryCgroups(Path root) {
        this.root = root;
    }

    /** Puts {@code pid} in a new group limited to {@code memoryMb}; the group's directory, or empty. */
    Optional<Path> place(String containerId, long pid, int memoryMb) {
        if (unusable) {
            return Optional.empty();
        }
        Path dir = root.resolve(containerId);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve("cgroup.procs"))) {
                throw new IOException(root + " is not in a cgroup v1 memory hierarchy (no cgroup.procs)");
            }
            Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(memoryMb * 1024L * 1024L));
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(pid));
            return Optional.of(dir);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            unusable = true;
            if (warned.compareAndSet(false, true)) {
                log.warn(
                        "cgroup root {} is not usable ({}); containers run without a kernel memory limit",
                        root,
                        e.toString());
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException | SecurityException ignored) {
                // nothing was made
            }
            return Optional.empty();
        }
    }

    /** Removes a group once its processes are gone (retries briefly while the kernel lets go). */
    void remove(Path dir) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        log.warn("could not remove cgroup {}", dir);
    }
}
