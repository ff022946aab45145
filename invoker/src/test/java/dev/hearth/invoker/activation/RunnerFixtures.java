package dev.hearth.invoker.activation;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.StartTimings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * What the runner's tests share: an activation message of {@code guest/slow}, a one-file artifact in the
 * store's directory, and a factory of containers whose {@code /run} takes {@value #RUN_MS} ms.
 */
final class RunnerFixtures {
    static final int RUN_MS = 400;

    private RunnerFixtures() {}

    static ActivationMessage message(String id, String kind, String digest) {
        return new ActivationMessage(
                1,
                "tx-" + id,
                id,
                "guest",
                "guest",
                "guest/slow",
                "0.0.1",
                new ExecRef(kind, kind.equals("java") ? "Main" : null, digest),
                new ActionLimits(60_000, 256, 10, 1),
                List.of(),
                RawJson.emptyObject(),
                true,
                0,
                System.currentTimeMillis());
    }

    /** An artifact of {@code kind} in the store's directory {@code dir}, named by its digest (a one-file zip). */
    static String artifact(Path dir, String kind) throws Exception {
        Path tmp = dir.resolve("artifact.tmp");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
            zip.putNextEntry(new ZipEntry("manifest.json"));
            zip.write("{}".getBytes());
            zip.closeEntry();
        }
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tmp)));
        Files.move(tmp, dir.resolve(digest + ArtifactStore.suffix(kind)));
        return digest;
    }

    /**
     * Makes containers whose {@code /run} takes {@value #RUN_MS} ms; counts the most running at once. The
     * second container made takes {@code secondInitMs} over its {@code /init}, the others none.
     */
    static final class Counting implements ContainerFactory {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        /** The containers made, in order. */
        final List<Container> containers = new java.util.concurrent.CopyOnWriteArrayList<>();

        private final AtomicInteger made = new AtomicInteger();
        private final long secondInitMs;

        Counting() {
            this(0);
        }

        Counting(long secondInitMs) {
            this.secondInitMs = secondInitMs;
        }

        @Override
        public Container create(String id, int memoryMb, String kind) {
            return create(id, memoryMb, kind, CpuPriority.NORMAL);
        }

        @Override
        public Container create(String id, int memoryMb, String kind, CpuPriority priority) {
            Slow slow = new Slow(id, memoryMb, made.getAndIncrement() == 1 ? secondInitMs : 0);
            containers.add(slow);
            return slow;
        }

        @Override
        public void close() {}

        final class Slow implements Container {
            private final String id;
            private final int memoryMb;
            private final long initMs;
            private volatile boolean alive = true;

            Slow(String id, int memoryMb, long initMs) {
                this.id = id;
                this.memoryMb = memoryMb;
                this.initMs = initMs;
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public int memoryMb() {
                return memoryMb;
            }

            @Override
            public StartTimings startTimings() {
                return new StartTimings(1, null);
            }

            @Override
            public InitTimings init(InitRequest request, Duration timeout) {
                try {
                    Thread.sleep(initMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return InitTimings.NONE;
            }

            @Override
            public RunResult run(RunRequest request, Duration timeout, long logLimitBytes) {
                Instant start = Instant.now();
                most.accumulateAndGet(now.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(RUN_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    now.decrementAndGet();
                }
                return new RunResult.Responded(200, Json.object().put("ok", true), start, Instant.now(), List.of());
            }

            @Override
            public void destroy() {
                alive = false;
            }

            @Override
            public boolean isAlive() {
                return alive;
            }
        }
    }
}
