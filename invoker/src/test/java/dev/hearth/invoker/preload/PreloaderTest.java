package dev.hearth.invoker.preload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.PreloadResult;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.StartTimings;
import dev.hearth.invoker.pool.ActionKey;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.Lease;
import dev.hearth.invoker.pool.PoolRequest;
import dev.hearth.invoker.pool.PrewarmTarget;
import dev.hearth.invoker.pool.TensorAccount;
import dev.hearth.testsupport.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step against a real pool of fake stem cells whose {@code /preload} is refused: the bundle is backed off
 * only when the cell that refused is still a stem cell; a cell lost meanwhile (taken by an activation,
 * removed by the pool) leaves it eligible for the next step.
 */
class PreloaderTest {
    static final String KIND = ContainerFactory.DJL_PYTORCH;
    static final int MEMORY_MB = 512;
    static final String PATH = "ns/resnet";
    static final List<PrewarmTarget> ONE_STEM_CELL = List.of(new PrewarmTarget(KIND, MEMORY_MB, 1));
    /** A call of another function of the same kind and memory: a stem cell can serve it. */
    static final PoolRequest OTHER = new PoolRequest(new ActionKey("ns/other", "0.0.1", "o"), KIND, MEMORY_MB);

    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    @TempDir
    Path dir;

    /** What befalls the chosen cell while its {@code /preload} is on the way (the proxy then refuses it). */
    interface Race {
        void during(ContainerPool pool, String cellId) throws Exception;
    }

    static Stream<Arguments> aRefusedPreload() {
        Race taken = (pool, id) -> {
            Lease lease = pool.acquire(OTHER, KIND, "a1").get(5, TimeUnit.SECONDS);
            assertThat(lease.container().id())
                    .as("the activation took the chosen cell")
                    .isEqualTo(id);
        };
        Race removed = (pool, id) -> {
            pool.setPrewarmTargets(List.of()); // the scheduler drops the target, then wants it back
            pool.setPrewarmTargets(ONE_STEM_CELL);
        };
        Race none = (pool, id) -> {};
        return Stream.of(
                Arguments.of(
                        "an activation took the cell: the bundle stays eligible",
                        taken,
                        "403 Cannot preload into an initialized container.",
                        false),
                Arguments.of(
                        "the pool removed the cell: the bundle stays eligible", removed, "connection refused", false),
                Arguments.of(
                        "the cell is still a stem cell: the bundle is backed off",
                        none,
                        "502 the bundle is not a zip file",
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void aRefusedPreload(String label, Race race, String refusal, boolean backedOff) throws Exception {
        String digest = bundle();
        Arrivals arrivals = new Arrivals();
        for (int i = 0; i < 3; i++) { // every 5 s, one at a time
            arrivals.arrived(PATH, digest, KIND, MEMORY_MB, T0.plusSeconds(5L * i));
            arrivals.finished(PATH);
        }
        arrivals.loaded(PATH, 300);
        Cells factory = new Cells();
        MutableClock clock = new MutableClock(T0.plusSeconds(10));
        var settings = new InvokerProperties.Preload(true, Duration.ofHours(1), Duration.ofMinutes(10), true);
        try (ContainerPool pool = new ContainerPool(
                        factory,
                        TensorAccount.NONE,
                        ONE_STEM_CELL,
                        2048,
                        Duration.ofMinutes(10),
                        Clock.systemUTC(),
                        "p",
                        Duration.ZERO,
                        CpuPriority.BACKGROUND);
                Preloader preloader =
                        new Preloader(pool, arrivals, new ArtifactStore(null, dir), null, settings, clock)) {
            factory.refuseNext = id -> {
                race.during(pool, id);
                throw new ContainerException(refusal);
            };
            String first = awaitStemCell(pool);
            preloader.step();
            assertThat(factory.preloads)
                    .as("the first step tries the stem cell")
                    .containsExactly(first);

            String next = awaitStemCell(pool); // the same cell while it is one, else its replacement
            preloader.step();
            if (backedOff) {
                assertThat(factory.preloads).as("backed off: not tried again").containsExactly(first);
                clock.advance(Preloader.BACK_OFF.minusSeconds(1));
                preloader.step();
                assertThat(factory.preloads).as("still backed off").containsExactly(first);
                clock.advance(Duration.ofSeconds(2));
                preloader.step();
            }
            assertThat(factory.preloads).as("tried again").containsExactly(first, next);
            assertThat(pool.stemCells())
                    .singleElement()
                    .satisfies(c -> assertThat(c.preloaded()).isEqualTo(Set.of(digest)));
        }
    }

    /** A bundle zip cached under its digest, as the artifact store keeps it: no database is asked. */
    private String bundle() throws Exception {
        Path zip = dir.resolve("bundle.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("manifest.json"));
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip)));
        Files.move(zip, dir.resolve(digest + ArtifactStore.suffix(KIND)));
        return digest;
    }

    static String awaitStemCell(ContainerPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.stemCells().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.stemCells()).as("a stem cell is ready").hasSize(1);
        return pool.stemCells().getFirst().id();
    }

    /** What the next {@code /preload} does instead of loading (it then throws); receives the cell's id. */
    interface Refusal {
        void refuse(String cellId) throws Exception;
    }

    /** Makes stem cells that pre-load at once, and records which were asked to, in order. */
    static final class Cells implements ContainerFactory {
        final List<String> preloads = new CopyOnWriteArrayList<>();
        /** Refuses the next {@code /preload} (once); null: it succeeds. */
        volatile Refusal refuseNext;

        @Override
        public Container create(String id, int memoryMb, String kind) {
            return new Cell(id);
        }

        @Override
        public void close() {}

        final class Cell implements Container {
            private final String id;
            private volatile boolean alive = true;

            Cell(String id) {
                this.id = id;
            }

            @Override
            public PreloadResult preload(Path codePath, String kind, String digest, Duration timeout)
                    throws ContainerException {
                assertThat(codePath).as("the extracted bundle").isDirectory();
                preloads.add(id);
                Refusal refusal = refuseNext;
                if (refusal != null) {
                    refuseNext = null;
                    try {
                        refusal.refuse(id);
                    } catch (ContainerException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException("the race did not happen", e);
                    }
                }
                return new PreloadResult(false, 300, List.of());
            }

            @Override
            public String id() {
                return id;
            }

            @Override
            public int memoryMb() {
                return MEMORY_MB;
            }

            @Override
            public StartTimings startTimings() {
                return new StartTimings(1, null);
            }

            @Override
            public InitTimings init(InitRequest request, Duration timeout) {
                return InitTimings.NONE;
            }

            @Override
            public RunResult run(RunRequest request, Duration timeout, long logLimitBytes) {
                throw new UnsupportedOperationException();
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
