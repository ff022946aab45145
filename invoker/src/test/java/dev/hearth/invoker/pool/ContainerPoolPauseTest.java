package dev.hearth.invoker.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.StartTimings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pool's pause hook: idle containers are paused after the grace and resumed before reuse. */
class ContainerPoolPauseTest {
    static final PoolRequest REQUEST = new PoolRequest(new ActionKey("ns/a", "0.0.1", "d"), 256);

    /** Records what happens to it, in order. */
    static final class Recording implements Container {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean alive = true;
        volatile boolean resumeFails;
        volatile boolean priorityFails;
        /** The priority the factory started it at. */
        volatile CpuPriority startedAt;

        @Override
        public String id() {
            return "c";
        }

        @Override
        public int memoryMb() {
            return 256;
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
        public void pause() {
            events.add("pause");
        }

        /** Runs before a share is recorded (a test may hold a share back here). */
        volatile java.util.function.DoubleConsumer beforeShare = share -> {};

        @Override
        public void cpuShare(double share) {
            beforeShare.accept(share);
            events.add("cpu " + share);
        }

        @Override
        public void cpuPriority(CpuPriority priority) throws ContainerException {
            events.add("priority " + priority);
            if (priorityFails) {
                throw new ContainerException("renice refused");
            }
        }

        @Override
        public void resume() {
            events.add("resume");
            if (resumeFails) {
                throw new IllegalStateException("the engine refused");
            }
        }

        @Override
        public void destroy() {
            alive = false;
            events.add("destroy");
        }

        @Override
        public boolean isAlive() {
            return alive;
        }
    }

    /** Makes a new container each time; {@code container} is the first. */
    static final class OneContainer implements ContainerFactory {
        final Recording container = new Recording();
        final List<Recording> made = new CopyOnWriteArrayList<>();

        /** Set before the pool makes its next container: that one fails to change its priority. */
        volatile boolean nextPriorityFails;

        @Override
        public Container create(String id, int memoryMb, String kind) {
            return create(id, memoryMb, kind, CpuPriority.NORMAL);
        }

        @Override
        public Container create(String id, int memoryMb, String kind, CpuPriority priority) {
            Recording c = made.isEmpty() ? container : new Recording();
            c.startedAt = priority;
            c.priorityFails = nextPriorityFails;
            nextPriorityFails = false;
            made.add(c);
            return c;
        }

        @Override
        public void close() {}
    }

    static ContainerPool pool(OneContainer factory, Duration grace) {
        return new ContainerPool(
                factory,
                TensorAccount.NONE,
                java.util.List.of(),
                1024,
                Duration.ofMinutes(10),
                Clock.systemUTC(),
                "p",
                grace,
                CpuPriority.NORMAL);
    }

    static void awaitEvents(Recording c, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (c.events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void pausesAfterTheGraceAndResumesBeforeTheNextLease() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, Duration.ofMillis(30))) {
            Lease first = pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS);
            first.release(true);
            awaitEvents(factory.container, 1);
            assertThat(factory.container.events).containsExactly("pause");

            Lease second = pool.acquire(REQUEST, "java", "a2").get(5, TimeUnit.SECONDS);
            assertThat(second.startKind()).isEqualTo(StartKind.WARM);
            assertThat(factory.container.events)
                    .as("resumed before it was lent")
                    .containsExactly("pause", "resume");
            second.release(true);
        }
        assertThat(factory.container.events).endsWith("destroy");
    }

    @Test
    void aContainerReusedWithinTheGraceIsNeverPaused() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, Duration.ofMillis(200))) {
            pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS).release(true);
            Lease busy = pool.acquire(REQUEST, "java", "a2").get(5, TimeUnit.SECONDS);
            Thread.sleep(400); // the first release's pause comes due while the container is busy
            assertThat(factory.container.events).isEmpty();
            busy.release(true);
        }
    }

    @Test
    void aContainerThatCannotResumeIsRemovedAndTheRequestGetsANewOne() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, Duration.ofMillis(20))) {
            pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS).release(true);
            awaitEvents(factory.container, 1);
            factory.container.resumeFails = true;
            Lease lease = pool.acquire(REQUEST, "java", "a2").get(5, TimeUnit.SECONDS);
            assertThat(lease.startKind()).isEqualTo(StartKind.COLD);
            assertThat(lease.container()).isNotSameAs(factory.container);
            assertThat(factory.container.events).containsExactly("pause", "resume", "destroy");
            lease.release(true);
        }
    }

    @Test
    void aZeroGraceNeverPauses() throws Exception {
        OneContainer factory = new OneContainer();
        try (ContainerPool pool = pool(factory, Duration.ZERO)) {
            pool.acquire(REQUEST, "java", "a1").get(5, TimeUnit.SECONDS).release(true);
            Thread.sleep(100);
            assertThat(factory.container.events).isEmpty();
        }
    }
}
