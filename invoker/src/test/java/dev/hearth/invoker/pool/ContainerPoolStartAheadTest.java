package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.pool.ContainerPoolPauseTest.OneContainer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Containers started ahead of demand add capacity, within free memory, behind real requests. */
class ContainerPoolStartAheadTest {
    static final PoolRequest REQUEST = ContainerPoolPauseTest.REQUEST; // ns/a, 256 MB

    static ContainerPool pool(OneContainer factory, int memoryMb) {
        return new ContainerPool(
                factory,
                TensorAccount.NONE,
                List.of(),
                memoryMb,
                Duration.ofMinutes(10),
                Clock.systemUTC(),
                "p",
                Duration.ZERO,
                dev.hearth.invoker.container.CpuPriority.NORMAL);
    }

    @Test
    void addsAContainerBesideAnIdleOneAndReleasesItIdle() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, 1024)) {
            pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS).release(true);

            Lease ahead = pool.startAhead(REQUEST, "java").orElseThrow().get(5, TimeUnit.SECONDS);
            assertThat(ahead.startKind())
                    .as("a new container, not the idle one")
                    .isEqualTo(StartKind.COLD);
            assertThat(factory.made).hasSize(2);
            ahead.release(true);

            assertThat(pool.snapshot().initialisedByAction()).isEqualTo(Map.of("ns/a", 2));
            assertThat(pool.snapshot().entries()).allMatch(e -> e.state() instanceof ContainerState.Idle);
            assertThat(pool.acquire(REQUEST, "java", "a2")
                            .get(5, TimeUnit.SECONDS)
                            .startKind())
                    .isEqualTo(StartKind.WARM);
        }
    }

    @Test
    void neverEvictsAndNeverGoesBeforeAWaitingRequest() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, 512)) {
            Lease a = pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS);
            Lease b = pool.acquire(REQUEST, "java", "a2").get(5, TimeUnit.SECONDS);
            CompletableFuture<Lease> waiting = pool.acquire(REQUEST, "java", "a3");
            assertThat(pool.startAhead(REQUEST, "java")).as("a request waits").isEmpty();

            a.release(true);
            waiting.get(5, TimeUnit.SECONDS).release(true);
            b.release(true);
            assertThat(pool.queued()).isZero();
            assertThat(pool.startAhead(REQUEST, "java"))
                    .as("memory is full of idle containers: no eviction for speculation")
                    .isEmpty();
            assertThat(factory.made).hasSize(2);
        }
    }

    @Test
    void givesEachContainerItsActionsCpuShareOnceAndBackToOneWhenItGoes() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, 1024)) {
            pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS).release(true);
            pool.setCpuShares(Map.of("ns/a", 0.5));
            pool.setCpuShares(Map.of("ns/a", 0.5, "ns/other", 2.0));
            ContainerPoolPauseTest.awaitEvents(factory.container, 1);
            pool.setCpuShares(Map.of());
            ContainerPoolPauseTest.awaitEvents(factory.container, 2);
            Thread.sleep(100); // nothing more may come
            assertThat(factory.container.events).containsExactly("cpu 0.5", "cpu 1.0");
        }
    }
}
