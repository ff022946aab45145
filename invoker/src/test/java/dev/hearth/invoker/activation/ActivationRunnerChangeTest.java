package dev.hearth.invoker.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.cpu.Cores;
import dev.hearth.invoker.pool.ActionKey;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.Lease;
import dev.hearth.invoker.pool.PoolRequest;
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
 * A call made before its action changed, whose container comes only after the change reached the invoker: the
 * call runs, and its container is not kept warm for code that is no longer the action's.
 */
class ActivationRunnerChangeTest {
    private static final String ACTION = "guest/slow"; // RunnerFixtures#message's

    @TempDir
    Path dir;

    @Test
    void aCallWhoseActionChangedWhileItWaitedForMemoryDoesNotKeepItsContainer() throws Exception {
        assertThat(runWaitingForMemory(true))
                .as("the late call's container, retired at its release")
                .isFalse();
    }

    @Test
    void withoutAChangeTheContainerStaysWarm() throws Exception {
        assertThat(runWaitingForMemory(false))
                .as("the call's container, kept idle")
                .isTrue();
    }

    /**
     * One call that must wait for the only container's memory, held by another action; while it waits, its
     * action is updated when {@code change}. Returns whether the call's container is alive 2 s after it ran.
     */
    private boolean runWaitingForMemory(boolean change) throws Exception {
        RunnerFixtures.Counting factory = new RunnerFixtures.Counting();
        String digest = RunnerFixtures.artifact(dir, "java");
        try (ContainerPool pool = new ContainerPool(
                        factory,
                        TensorAccount.NONE,
                        List.of(),
                        256, // one container
                        Duration.ofMinutes(10),
                        Clock.systemUTC(),
                        "t",
                        Duration.ZERO,
                        CpuPriority.NORMAL);
                ExecutorService one = Executors.newSingleThreadExecutor()) {
            ArtifactStore artifacts = new ArtifactStore(null, dir);
            WarmStarter warm = new WarmStarter(artifacts, pool, Clock.systemUTC());
            ActivationRunner runner = new ActivationRunner(
                    artifacts, pool, new Arrivals(), warm, Cores.ofThisMachine(true, Duration.ZERO), Clock.systemUTC());
            Lease other = pool.acquire(
                            new PoolRequest(new ActionKey("guest/other", "0.0.1", digest), "java", 256), "java", "x")
                    .get(10, TimeUnit.SECONDS);
            Future<Outcome> call = one.submit(() -> runner.run(RunnerFixtures.message("a1", "java", digest)));
            long until = System.nanoTime() + 10_000_000_000L;
            while (pool.queued() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(pool.queued()).as("the call waits for memory").isEqualTo(1);
            if (change) { // as ActionChanges applies an update: the warm starter first, then the pool
                Thread.sleep(5); // the change comes after the call was made (sentAt)
                warm.forget(ACTION, System.currentTimeMillis());
                assertThat(pool.retire(ACTION, "0.0.2"))
                        .as("no container of the call yet")
                        .isZero();
            }
            other.release(true); // idle: evicted for the waiting call
            assertThat(call.get(20, TimeUnit.SECONDS).response().statusCode()).isZero();
            Container mine = factory.containers.getLast();
            long settle = System.nanoTime() + 2_000_000_000L;
            while (mine.isAlive() && System.nanoTime() < settle) {
                Thread.sleep(20);
            }
            return mine.isAlive();
        }
    }
}
