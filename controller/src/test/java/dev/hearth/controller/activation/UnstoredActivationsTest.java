package dev.hearth.controller.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnstoredActivationsTest {
    private final AtomicLong now = new AtomicLong();
    private final UnstoredActivations unstored = new UnstoredActivations(Duration.ofSeconds(2), now::get);

    @Test
    void aReadOfTheNamespaceWaitsUntilTheAnsweredRecordIsStored() throws Exception {
        unstored.answered("a1", "guest");
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> unstored.awaitStored("guest"));
        Thread.sleep(100);
        assertThat(read).as("waits for the Kafka completion").isNotDone();
        unstored.stored("a1");
        read.get(5, TimeUnit.SECONDS);
        assertThat(unstored.count()).isZero();
    }

    @Test
    void anotherNamespaceAndNothingPendingDoNotWait() throws Exception {
        unstored.answered("a1", "guest");
        CompletableFuture.runAsync(() -> unstored.awaitStored("other")).get(1, TimeUnit.SECONDS);
        CompletableFuture.runAsync(() -> new UnstoredActivations(Duration.ofSeconds(2)).awaitStored("guest"))
                .get(1, TimeUnit.SECONDS);
    }

    @Test
    void aCompletionThatOvertakesItsAnswerIsNeverWaitedFor() throws Exception {
        unstored.stored("a1"); // Kafka first
        unstored.answered("a1", "guest");
        assertThat(unstored.count()).isZero();
        CompletableFuture.runAsync(() -> unstored.awaitStored("guest")).get(1, TimeUnit.SECONDS);
    }

    @Test
    void aLostCompletionIsWaitedForAtMostTheLimitAndThenForgotten() throws Exception {
        UnstoredActivations shortWait = new UnstoredActivations(Duration.ofMillis(200), now::get);
        shortWait.answered("a1", "guest");
        long t0 = System.nanoTime();
        shortWait.awaitStored("guest");
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 2_000L);
        now.addAndGet(Duration.ofMillis(201).toNanos()); // the entry is now older than the limit
        shortWait.awaitStored("guest");
        assertThat(shortWait.count()).as("dropped").isZero();
    }

    @Test
    void rememberedStoredIdsAreBounded() {
        for (int i = 0; i <= UnstoredActivations.REMEMBERED; i++) {
            unstored.stored("s" + i);
        }
        unstored.answered("s0", "guest"); // forgotten as stored, so waited for again
        assertThat(unstored.count()).isEqualTo(1);
        unstored.answered("s1", "guest"); // still remembered
        assertThat(unstored.count()).isEqualTo(1);
    }
}
