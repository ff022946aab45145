package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.pool.ContainerPoolPauseTest.OneContainer;
import dev.hearth.invoker.pool.ContainerPoolPauseTest.Recording;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Work ahead of demand runs in the background: stem cells and containers started ahead start there and
 * are moved to the normal priority before their first real activation, once.
 */
class ContainerPoolBackgroundTest {
    static final PoolRequest MODEL = new PoolRequest(new ActionKey("ns/m", "0.0.1", "d"), "djl:pytorch", 512);
    static final PoolRequest JAVA = ContainerPoolPauseTest.REQUEST; // ns/a, 256 MB, no kind

    static ContainerPool pool(OneContainer factory, List<PrewarmTarget> stems, CpuPriority ahead) {
        return new ContainerPool(
                factory,
                TensorAccount.NONE,
                stems,
                2048,
                Duration.ofMinutes(10),
                Clock.systemUTC(),
                "p",
                Duration.ZERO,
                ahead);
    }

    static void awaitStemCell(ContainerPool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.stemCells().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.stemCells()).as("a stem cell is ready").isNotEmpty();
    }

    @Test
    void aStemCellStartsInTheBackgroundAndLeavesItBeforeItIsLent() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool =
                pool(factory, List.of(new PrewarmTarget("djl:pytorch", 512, 1)), CpuPriority.BACKGROUND)) {
            awaitStemCell(pool);
            Recording stem = factory.container;
            assertThat(stem.startedAt).isEqualTo(CpuPriority.BACKGROUND);
            assertThat(stem.events).as("still in the background while it waits").isEmpty();

            Lease lease = pool.acquire(MODEL, "djl:pytorch", "a1").get(5, TimeUnit.SECONDS);
            assertThat(lease.startKind()).isEqualTo(StartKind.PREWARMED);
            assertThat(lease.container()).isSameAs(stem);
            assertThat(stem.events).as("moved before the lease").containsExactly("priority NORMAL");
            lease.release(true);

            pool.acquire(MODEL, "djl:pytorch", "a2").get(5, TimeUnit.SECONDS).release(true);
            assertThat(stem.events).as("moved once, not at every lend").containsExactly("priority NORMAL");
        }
    }

    @Test
    void aStemCellThatCannotLeaveTheBackgroundIsRemovedAndTheRequestServedElsewhere() throws Exception {
        OneContainer factory = new OneContainer();
        factory.nextPriorityFails = true;
        try (ContainerPool pool =
                pool(factory, List.of(new PrewarmTarget("djl:pytorch", 512, 1)), CpuPriority.BACKGROUND)) {
            awaitStemCell(pool);
            Recording stem = factory.container;

            Lease lease = pool.acquire(MODEL, "djl:pytorch", "a1").get(5, TimeUnit.SECONDS);
            assertThat(lease.container()).isNotSameAs(stem);
            assertThat(stem.events).containsExactly("priority NORMAL", "destroy");
            Recording served = (Recording) lease.container();
            assertThat(served.startedAt == CpuPriority.NORMAL || served.events.equals(List.of("priority NORMAL")))
                    .as("whatever serves the request (a cold start, or the next stem cell) runs at the normal"
                            + " priority: started at " + served.startedAt + ", then " + served.events)
                    .isTrue();
            lease.release(true);
        }
    }

    @Test
    void aContainerStartedAheadLeavesTheBackgroundAtItsFirstRealActivation() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, List.of(), CpuPriority.BACKGROUND)) {
            Lease ahead = pool.startAhead(JAVA, "java").orElseThrow().get(5, TimeUnit.SECONDS);
            Recording c = (Recording) ahead.container();
            assertThat(c.startedAt).isEqualTo(CpuPriority.BACKGROUND);
            ahead.release(true);
            assertThat(c.events).as("initialised ahead, in the background").isEmpty();

            Lease real = pool.acquire(JAVA, "java", "a1").get(5, TimeUnit.SECONDS);
            assertThat(real.startKind()).isEqualTo(StartKind.WARM);
            assertThat(c.events).containsExactly("priority NORMAL");
            real.release(true);
        }
    }

    @Test
    void aColdStartForARequestRunsNormallyAndNothingMovesWhenTheSwitchIsOff() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, List.of(), CpuPriority.BACKGROUND)) {
            Lease lease = pool.acquire(JAVA, "java", "a1").get(5, TimeUnit.SECONDS);
            assertThat(((Recording) lease.container()).startedAt).isEqualTo(CpuPriority.NORMAL);
            lease.release(true);
        }
        OneContainer off = new OneContainer();
        try (ContainerPool pool = pool(off, List.of(new PrewarmTarget("djl:pytorch", 512, 1)), CpuPriority.NORMAL)) {
            awaitStemCell(pool);
            assertThat(off.container.startedAt).isEqualTo(CpuPriority.NORMAL);
            pool.acquire(MODEL, "djl:pytorch", "a1").get(5, TimeUnit.SECONDS).release(true);
            assertThat(off.container.events).isEmpty();
        }
    }
}
