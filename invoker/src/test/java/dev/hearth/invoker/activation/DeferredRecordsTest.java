package dev.hearth.invoker.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeferredRecordsTest {
    /** The batches written, with the thread that wrote each. */
    private final LinkedBlockingQueue<List<String>> batches = new LinkedBlockingQueue<>();

    private final List<String> writers = new CopyOnWriteArrayList<>();

    private void write(List<String> batch) {
        writers.add(Thread.currentThread().getName());
        batches.add(List.copyOf(batch));
    }

    private List<String> nextBatch() throws InterruptedException {
        List<String> b = batches.poll(10, TimeUnit.SECONDS);
        assertThat(b).as("a batch within 10 s").isNotNull();
        return b;
    }

    @Test
    void recordsWaitForTheDelayAndAreWrittenTogether() throws Exception {
        try (DeferredRecords<String> later = new DeferredRecords<>(Duration.ofMillis(400), 100, this::write)) {
            long start = System.nanoTime();
            later.add("a");
            later.add("b");
            later.add("c");
            assertThat(nextBatch()).containsExactly("a", "b", "c");
            assertThat(System.nanoTime() - start).as("not before the delay").isGreaterThanOrEqualTo(400_000_000L);
            assertThat(writers).containsExactly("activation-records");
            later.add("d"); // a new batch starts its own delay
            assertThat(nextBatch()).containsExactly("d");
        }
    }

    @Test
    void aFullBatchIsWrittenWithoutWaitingForTheDelay() throws Exception {
        try (DeferredRecords<String> later = new DeferredRecords<>(Duration.ofHours(1), 3, this::write)) {
            later.add("a");
            later.add("b");
            assertThat(batches.poll(300, TimeUnit.MILLISECONDS))
                    .as("two of three wait")
                    .isNull();
            later.add("c");
            assertThat(nextBatch()).containsExactly("a", "b", "c");
            assertThat(later.queued()).isZero();
        }
    }

    @Test
    void withoutADelayEachRecordIsWrittenAtOnce() throws Exception {
        try (DeferredRecords<String> later = new DeferredRecords<>(Duration.ZERO, 100, this::write)) {
            later.add("a");
            assertThat(nextBatch()).containsExactly("a");
            later.add("b");
            assertThat(nextBatch()).containsExactly("b");
        }
    }

    @Test
    void closingWritesWhatIsQueuedAndLaterRecordsAreWrittenByTheirCaller() throws Exception {
        DeferredRecords<String> later = new DeferredRecords<>(Duration.ofHours(1), 100, this::write);
        later.add("a");
        later.add("b");
        assertThat(later.close(Duration.ofSeconds(10))).isTrue();
        assertThat(nextBatch()).containsExactly("a", "b");
        later.add("c");
        assertThat(nextBatch()).containsExactly("c");
        assertThat(writers)
                .containsExactly("activation-records", Thread.currentThread().getName());
    }

    @Test
    void aBatchThatCannotBeWrittenDoesNotStopTheWriter() throws Exception {
        List<List<String>> tried = new CopyOnWriteArrayList<>();
        try (DeferredRecords<String> later = new DeferredRecords<>(Duration.ZERO, 100, batch -> {
            tried.add(List.copyOf(batch));
            if (batch.contains("bad")) {
                throw new IllegalStateException("database down");
            }
            write(batch);
        })) {
            later.add("bad");
            long until = System.nanoTime() + 10_000_000_000L;
            while (tried.isEmpty() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(tried).containsExactly(List.of("bad"));
            later.add("good");
            assertThat(nextBatch()).containsExactly("good");
        }
    }

    @Test
    void refusesANegativeDelayOrAnEmptyBatch() {
        assertThatThrownBy(() -> new DeferredRecords<String>(Duration.ofMillis(-1), 1, b -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeferredRecords<String>(Duration.ZERO, 0, b -> {}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
