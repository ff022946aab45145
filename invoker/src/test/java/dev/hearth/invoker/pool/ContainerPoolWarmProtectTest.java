package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.pool.ContainerPoolPauseTest.OneContainer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The idle sweep spares the scheduler's warm targets, and reaps the extras when a target drops. */
class ContainerPoolWarmProtectTest {
    static final PoolRequest REQUEST = ContainerPoolPauseTest.REQUEST;

    static void awaitEntries(ContainerPool pool, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pool.snapshot().entries().size() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void keepsTheTargetAndReapsTheRestWhenItDrops() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = new ContainerPool(
                factory,
                TensorAccount.NONE,
                List.of(),
                1024,
                Duration.ofMillis(100),
                Clock.systemUTC(),
                "p",
                Duration.ZERO,
                dev.hearth.invoker.container.CpuPriority.NORMAL)) {
            pool.setWarmProtect(Map.of("ns/a", 2));
            Lease a = pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS);
            Lease b = pool.acquire(REQUEST, "java", "a2").get(5, TimeUnit.SECONDS);
            Lease c = pool.acquire(REQUEST, "java", "a3").get(5, TimeUnit.SECONDS);
            a.release(true);
            b.release(true);
            c.release(true);
            awaitEntries(pool, 2);
            Thread.sleep(400); // several sweeps past the idle timeout
            assertThat(pool.snapshot().entries()).as("target 2 of 3 idle").hasSize(2);

            pool.setWarmProtect(Map.of());
            awaitEntries(pool, 0);
            assertThat(pool.snapshot().entries())
                    .as("target gone: normal keep-alive")
                    .isEmpty();
        }
    }
}
