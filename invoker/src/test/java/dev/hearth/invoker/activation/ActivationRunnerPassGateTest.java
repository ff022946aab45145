package dev.hearth.invoker.activation;

import static dev.hearth.invoker.activation.RunnerFixtures.RUN_MS;
import static dev.hearth.invoker.activation.RunnerFixtures.artifact;
import static dev.hearth.invoker.activation.RunnerFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.cpu.Cores;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.TensorAccount;
import dev.hearth.invoker.preload.Arrivals;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner around the {@link dev.hearth.invoker.cpu.PassGate}, with containers whose {@code /run} takes {@value RunnerFixtures#RUN_MS} ms and
 * count how many run at once: model calls arriving together run their passes one after the other (the
 * second's {@code passWait} is about one pass), and with its share of the cores given back once it runs;
 * actions that are not models never wait; with the gate off, model passes overlap.
 */
class ActivationRunnerPassGateTest {
    @TempDir
    Path dir;

    @Test
    void modelCallsArrivingTogetherTakeTurnsAndTheSecondWaitsForTheFirst() throws Exception {
        RunnerFixtures.Counting factory = new RunnerFixtures.Counting();
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
        RunnerFixtures.Counting factory = new RunnerFixtures.Counting(RUN_MS / 2);
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ofSeconds(10)), "djl:pytorch");
        assertThat(factory.most.get()).as("passes at once").isEqualTo(1);
        assertThat(outcomes)
                .as("a call in its /init takes no share from the pass that runs meanwhile")
                .allSatisfy(o -> assertThat(o.cpuThreads())
                        .isEqualTo(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void actionsThatAreNotModelsNeverWait() throws Exception {
        RunnerFixtures.Counting factory = new RunnerFixtures.Counting();
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ofSeconds(10)), "java");
        assertThat(factory.most.get()).isEqualTo(2);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.passWaitMs()).isNull());
    }

    @Test
    void withTheGateOffModelPassesOverlap() throws Exception {
        RunnerFixtures.Counting factory = new RunnerFixtures.Counting();
        List<Outcome> outcomes = runTogether(factory, Cores.ofThisMachine(true, Duration.ZERO), "djl:pytorch");
        assertThat(factory.most.get()).isEqualTo(2);
        assertThat(outcomes).allSatisfy(o -> assertThat(o.passWaitMs()).isNull());
    }

    /** Two calls of one action of {@code kind}, sent at once; their outcomes once both ended. */
    private List<Outcome> runTogether(RunnerFixtures.Counting factory, Cores cores, String kind) throws Exception {
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
}
