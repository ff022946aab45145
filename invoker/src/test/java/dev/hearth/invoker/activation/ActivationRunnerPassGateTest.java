package dev.hearth.invoker.activation;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.hearth.invoker.cpu.Cores;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.TensorAccount;
import dev.hearth.invoker.preload.Arrivals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner around the {@link dev.hearth.invoker.cpu.PassGate}, with containers whose {@code /run} takes {@value #RUN_MS} ms and
 * count how many run at once: model calls arriving together run their passes one after the other (the
 * second's {@code passWait} is about one pass), and with its share of the cores given back once it runs;
 * actions that are not models never wait; with the gate off, model passes overlap.
 */
class ActivationRunnerPassGateTest {
    static final int RUN_MS = 400;

    @TempDir
    Path dir;

    @Test
    void modelCallsArrivingTogetherTakeTurnsAndTheSecondWaitsForTheFirst() throws Exception {
        Counting factory = new Counting();
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ofSeconds(10)), "djl:pytorch");
        assertThat(factory.most.get()).as("passes at once").isEqualTo(1);
        List<Long> waits = outcomes.stream().map(Outcome::passWaitMs).sorted().toList();
        assertThat(waits.getFirst()).as("the first entered at once").isLessThan(RUN_MS / 2);
        assertThat(waits.getLast()).as("the second waited about one pass").isGreaterThan(RUN_MS * 3 / 4);
        assertThat(outcomes)
                .as("each computed on every core: a waiting pass took no share")
                .allSatisfy(o -> assertThat(o.cpuThreads())
                        .isEqualTo(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aPassRunningWhileTheOtherCallIsStillInItsInitComputesOnEveryCore() throws Exception {
        Counting factory = new Counting(RUN_MS / 2);
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ofSeconds(10)), "djl:pytorch");
        assertThat(factory.most.get()).as("passes at once").isEqualTo(1);
        assertThat(outcomes)
                .as("a call in its /init takes no share from the pass that runs meanwhile")
                .allSatisfy(o -> assertThat(o.cpuThreads())
                        .isEqualTo(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void actionsThatAreNotModelsNeverWait() throws Exception {
        Counting factory = new Counting();
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ofSeconds(10)), "java");
        assertThat(factory.most.get()).isEqualTo(2);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.passWaitMs()).isNull());
    }

    @Test
    void withTheGateOffModelPassesOverlap() throws Exception {
        Counting factory = new Counting();
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ZERO), "djl:pytorch");
        assertThat(factory.most.get()).isEqualTo(2);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.passWaitMs()).isNull());
    }

    /** Two calls of one action of {@code kind}, sent at once; their outcomes once both ended. */
    private List<Outcome> runTogether(Counting factory, Cores cores, String kind) throws Exception {
        String digest = artifact(dir, kind);
        try (ContainerPool pool = new ContainerPool(
                factory,
                TensorAccount.NONE,
                List.of(),
                4096,
                Duration.ofMinutes(10),
                Clock.systemUTC(),
                "t",
                Duration.ZERO,
                CpuPriority.NORMAL)) {
            ArtifactStore artifacts = new ArtifactStore(null, dir);
            ActivationRunner runner = new ActivationRunner(
                    artifacts,
                    pool,
                    new Arrivals(),
                    new WarmStarter(artifacts, pool, Clock.systemUTC()),
                    cores,
                    Clock.systemUTC());
            try (ExecutorService two = Executors.newFixedThreadPool(2)) {
                Future<Outcome> a = two.submit(() -> runner.run(message("a1", kind, digest)));
                Future<Outcome> b = two.submit(() -> runner.run(message("a2", kind, digest)));
                List<Outcome> both = List.of(a.get(20, TimeUnit.SECONDS), b.get(20, TimeUnit.SECONDS));
                assertThat(both)
                        .allSatisfy(o -> assertThat(o.response().statusCode()).isZero());
                return both;
            }
        }
    }

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
