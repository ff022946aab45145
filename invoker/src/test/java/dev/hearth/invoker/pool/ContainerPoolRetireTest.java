package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.pool.ContainerPoolPauseTest.OneContainer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An action's update or delete retires the containers holding its old code: idle ones go at once (the idle
 * timeout here is ten minutes, so nothing else removes them), busy ones when released; other actions'
 * containers and those of the version kept stay.
 */
class ContainerPoolRetireTest {
    static final PoolRequest A1 = new PoolRequest(new ActionKey("ns/a", "0.0.1", "d1"), 256);
    static final PoolRequest A2 = new PoolRequest(new ActionKey("ns/a", "0.0.2", "d2"), 256);
    static final PoolRequest B = new PoolRequest(new ActionKey("ns/b", "0.0.1", "d3"), 256);

    private static List<String> held(ContainerPool pool) {
        return pool.snapshot().entries().stream()
                .map(e -> switch (e.state()) {
                    case ContainerState.Idle i ->
                        "idle " + i.action().path() + "@" + i.action().version();
                    case ContainerState.Busy b ->
                        "busy " + b.action().path() + "@" + b.action().version();
                    default -> e.state().label();
                })
                .sorted()
                .toList();
    }

    private static void await(ContainerPool pool, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!held(pool).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(held(pool)).isEqualTo(expected);
    }

    @Test
    void removesTheOldCodeAtOnceIdleOrWhenReleasedAndKeepsTheRest() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = new ContainerPool(
                factory,
                TensorAccount.NONE,
                List.of(),
                2048,
                Duration.ofMinutes(10),
                Clock.systemUTC(),
                "p",
                Duration.ZERO,
                CpuPriority.NORMAL)) {
            Lease idleOld = pool.acquire(A1, "java", "x1").get(5, TimeUnit.SECONDS);
            Lease busyOld = pool.acquire(A1, "java", "x2").get(5, TimeUnit.SECONDS);
            Lease other = pool.acquire(B, "java", "x3").get(5, TimeUnit.SECONDS);
            idleOld.release(true);
            other.release(true);
            await(pool, List.of("busy ns/a@0.0.1", "idle ns/a@0.0.1", "idle ns/b@0.0.1"));

            assertThat(pool.retire("ns/a", "0.0.2")).isEqualTo(1);
            await(pool, List.of("busy ns/a@0.0.1", "idle ns/b@0.0.1"));
            busyOld.release(true);
            await(pool, List.of("idle ns/b@0.0.1"));

            Lease updated = pool.acquire(A2, "java", "x4").get(5, TimeUnit.SECONDS);
            updated.release(true);
            assertThat(pool.retire("ns/a", "0.0.2")).as("the version kept").isZero();
            await(pool, List.of("idle ns/a@0.0.2", "idle ns/b@0.0.1"));

            assertThat(pool.retire("ns/a", null)).as("deleted").isEqualTo(1);
            await(pool, List.of("idle ns/b@0.0.1"));
            assertThat(factory.made.stream().filter(c -> c.events.contains("destroy")))
                    .hasSize(3);
        }
    }
}
