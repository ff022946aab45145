package dev.hearth.invoker.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackgroundThreadsTest {
    static Stream<Arguments> names() {
        return Stream.of(
                // a thread's name as /proc gives it (15 characters), whether it works beside the calls
                Arguments.of("C2 CompilerThre", true),
                Arguments.of("C1 CompilerThre", true),
                Arguments.of("G1 Conc#0", true),
                Arguments.of("G1 Refine#0", true),
                Arguments.of("G1 Service", true),
                Arguments.of("activation-reco", true),
                Arguments.of("kafka-producer-", true),
                Arguments.of("feed-events", true),
                Arguments.of("feed-scheduler-", true),
                Arguments.of("pool-idle-sweep", true),
                // on a call's path
                Arguments.of("feed-invoker0", false), // the invoker's activations through Kafka
                Arguments.of("feed-completed0", false), // a blocking call's answer through Kafka
                Arguments.of("http-nio-auto-1", false),
                Arguments.of("webflux-http-ep", false),
                Arguments.of("ForkJoinPool-1-", false), // virtual threads' carriers
                Arguments.of("GC Thread#0", false), // stops the world: the path waits for it
                Arguments.of("VM Thread", false),
                Arguments.of("container-a-std", false)); // a container's output, read as it runs
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("names")
    void threadsAreToldApartByName(String name, boolean background) {
        assertThat(BackgroundThreads.isBackground(name)).isEqualTo(background);
    }

    @Test
    void theNiceValueIsReadAfterTheLastParenthesis() {
        String stat = "4242 (odd) name)) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 7 30 0 1234";
        assertThat(ProcStat.nice(stat)).isEqualTo(7);
    }

    @Test
    void aSweepMovesTheBackgroundThreadsAndLeavesThePathAlone() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc/self/task: not Linux");
        CountDownLatch done = new CountDownLatch(1);
        Thread records = park("activation-records", done);
        Thread path = park("http-nio-auto-1-exec-1", done);
        try {
            Optional<BackgroundThreads> sweeper = BackgroundThreads.start(12, Duration.ofMillis(50));
            assertThat(sweeper).isPresent();
            try (BackgroundThreads ignored = sweeper.get()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (niceOf("activation-reco") != 12 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(niceOf("activation-reco")).isEqualTo(12);
                assertThat(niceOf("http-nio-auto-1"))
                        .isEqualTo(ProcStat.nice(Files.readString(Path.of("/proc/self/stat"))));
            }
        } finally {
            done.countDown();
            records.join();
            path.join();
        }
    }

    @Test
    void levelZeroMovesNothing() {
        assertThat(BackgroundThreads.start(0, Duration.ofSeconds(1))).isEmpty();
    }

    private static Thread park(String name, CountDownLatch done) {
        return Thread.ofPlatform().name(name).start(() -> {
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The nice value of this JVM's thread whose name starts with {@code name} (the one made last). */
    private static int niceOf(String name) throws IOException {
        int nice = Integer.MIN_VALUE;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.sorted().toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith(name)) {
                    nice = ProcStat.nice(stat);
                }
            }
        }
        assertThat(nice).as("a thread named " + name).isNotEqualTo(Integer.MIN_VALUE);
        return nice;
    }

    @Test
    void everyPrefixFitsTheKernelsFifteenCharacters() {
        List<String> tooLong =
                BackgroundThreads.PREFIXES.stream().filter(p -> p.length() > 15).toList();
        assertThat(tooLong).isEmpty();
    }
}
