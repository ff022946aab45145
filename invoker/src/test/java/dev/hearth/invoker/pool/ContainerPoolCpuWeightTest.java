package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.pool.ContainerPoolPauseTest.OneContainer;
import dev.hearth.invoker.pool.ContainerPoolPauseTest.Recording;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A container lent to an activation gets its action's share (the scheduler's times the pool's weight),
 * only when it changes: before the lease completes when it already holds the action (warm, pre-loaded),
 * at {@link Lease#running} when its {@code /init} loads the action (cold, pre-warmed), which meanwhile
 * runs at the scheduler's share alone.
 */
class ContainerPoolCpuWeightTest {
    static final PoolRequest MODEL = ContainerPoolBackgroundTest.MODEL; // ns/m
    static final PoolRequest JAVA = ContainerPoolPauseTest.REQUEST; // ns/a

    @Test
    void aColdStartIsWeightedWhenItRunsAndItsWarmReusesWhenTheWeightChanges() throws Exception {
        OneContainer factory = new OneContainer();
        Map<String, Double> weights = new ConcurrentHashMap<>(Map.of("ns/a", 10.0));
        try (ContainerPool pool = weightedPool(factory, weights)) {
            Lease cold = pool.acquire(JAVA, "java", "a1").get(5, TimeUnit.SECONDS);
            Recording c = (Recording) cold.container();
            assertThat(c.events).as("its /init loads: not weighted yet").isEmpty();
            cold.running();
            assertThat(c.events).as("weighted once it runs").containsExactly("cpu 10.0");
            cold.running();
            assertThat(c.events).as("once").containsExactly("cpu 10.0");
            cold.release(true);

            pool.acquire(JAVA, "java", "a2").get(5, TimeUnit.SECONDS).release(true);
            assertThat(c.events).as("unchanged: not given again").containsExactly("cpu 10.0");

            weights.put("ns/a", 1.0); // the function is no longer rare
            pool.acquire(JAVA, "java", "a3").get(5, TimeUnit.SECONDS).release(true);
            assertThat(c.events).containsExactly("cpu 10.0", "cpu 1.0");

            pool.setCpuShares(Map.of("ns/a", 2.0)); // the scheduler's share multiplies the weight
            awaitEvents(c, 3); // given to the idle container on a thread of its own
            weights.put("ns/a", 10.0);
            pool.acquire(JAVA, "java", "a4").get(5, TimeUnit.SECONDS).release(true);
            assertThat(c.events).containsExactly("cpu 10.0", "cpu 1.0", "cpu 2.0", "cpu 20.0");
        }
    }

    @Test
    void aSchedulersShareGivenLateNeverReplacesTheShareALeaseGaveAfterIt() throws Exception {
        OneContainer factory = new OneContainer();
        Map<String, Double> weights = new ConcurrentHashMap<>(Map.of("ns/a", 1.0));
        try (ContainerPool pool = weightedPool(factory, weights)) {
            Lease first = pool.acquire(JAVA, "java", "a1").get(5, TimeUnit.SECONDS);
            Recording c = (Recording) first.container();
            first.running();
            first.release(true);
            assertThat(c.events).as("the default weight: nothing to give").isEmpty();

            // The scheduler's share reaches the idle container on a thread of its own, and is held there
            // until the next lease has been given its share.
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            c.beforeShare = share -> {
                if (share == 2.0) {
                    held.countDown();
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            pool.setCpuShares(Map.of("ns/a", 2.0));
            assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();
            weights.put("ns/a", 10.0); // rare now: the next lease wants 20
            java.util.concurrent.CompletableFuture<Lease> next = pool.acquire(JAVA, "java", "a2");
            Thread.sleep(200); // the lease's share is given (or waits its turn) meanwhile
            release.countDown();
            next.get(5, TimeUnit.SECONDS).release(true);
            awaitEvents(c, 2);
            assertThat(c.events)
                    .as("the share decided last is the one that stays")
                    .containsExactly("cpu 2.0", "cpu 20.0");
        }
    }

    @Test
    void aPreloadedStemCellTakesItsWeightBeforeItLeavesTheBackground() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = rareModelPool(factory)) {
            Recording stem = factory.container;
            assertThat(pool.preloaded(
                            pool.stemCells().getFirst().id(), MODEL.action().digest(), List.of()))
                    .isTrue();

            Lease lease = pool.acquire(MODEL, "djl:pytorch", "a1").get(5, TimeUnit.SECONDS);
            assertThat(lease.container()).isSameAs(stem);
            assertThat(lease.startKind()).isEqualTo(StartKind.PRELOADED);
            assertThat(stem.events)
                    .as("the share first, so that leaving the background lands on it in one step")
                    .containsExactly("cpu 10.0", "priority NORMAL");
            lease.running();
            assertThat(stem.events).containsExactly("cpu 10.0", "priority NORMAL");
            lease.release(true);
        }
    }

    @Test
    void aPrewarmedStemCellLoadsAtTheSchedulersShareAndRunsWeighted() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = rareModelPool(factory)) {
            Recording stem = factory.container;

            Lease lease = pool.acquire(MODEL, "djl:pytorch", "a1").get(5, TimeUnit.SECONDS);
            assertThat(lease.startKind()).isEqualTo(StartKind.PREWARMED);
            assertThat(stem.events).as("its /init loads the model").containsExactly("priority NORMAL");
            pool.setCpuShares(Map.of("ns/m", 2.0));
            awaitEvents(stem, 2);
            assertThat(stem.events)
                    .as("the scheduler's share reaches it while it loads, the weight does not")
                    .containsExactly("priority NORMAL", "cpu 2.0");
            lease.running();
            assertThat(stem.events).containsExactly("priority NORMAL", "cpu 2.0", "cpu 20.0");
            lease.release(true);
        }
    }

    /** A pool with one background {@code djl:pytorch} stem cell, started, where {@code ns/m} is rare. */
    private static ContainerPool rareModelPool(OneContainer factory) throws Exception {
        ContainerPool pool = ContainerPoolBackgroundTest.pool(
                factory, List.of(new PrewarmTarget("djl:pytorch", 512, 1)), CpuPriority.BACKGROUND);
        try {
            pool.setCpuWeight(path -> path.equals("ns/m") ? 10.0 : 1.0);
            ContainerPoolBackgroundTest.awaitStemCell(pool);
            return pool;
        } catch (Exception | AssertionError e) {
            pool.close();
            throw e;
        }
    }

    /** A pool with no stem cells whose weight of a path is {@code weights}' (1 when absent), read at each lease. */
    private static ContainerPool weightedPool(OneContainer factory, Map<String, Double> weights) {
        ContainerPool pool = ContainerPoolBackgroundTest.pool(factory, List.of(), CpuPriority.BACKGROUND);
        pool.setCpuWeight(path -> weights.getOrDefault(path, 1.0));
        return pool;
    }

    /** {@code setCpuShares} gives shares on virtual threads. */
    static void awaitEvents(Recording container, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (container.events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void workAheadOfDemandIsNotWeighted() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = ContainerPoolBackgroundTest.pool(factory, List.of(), CpuPriority.BACKGROUND)) {
            pool.setCpuWeight(path -> 10.0);
            Lease ahead = pool.startAhead(JAVA, "java").orElseThrow().get(5, TimeUnit.SECONDS);
            Recording c = (Recording) ahead.container();
            ahead.release(true);
            assertThat(c.events).as("started ahead: background, no weight").isEmpty();

            pool.acquire(JAVA, "java", "a1").get(5, TimeUnit.SECONDS).release(true);
            assertThat(c.events).containsExactly("cpu 10.0", "priority NORMAL");
        }
    }
}
