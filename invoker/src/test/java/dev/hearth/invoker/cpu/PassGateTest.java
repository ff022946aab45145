package dev.hearth.invoker.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PassGateTest {
    static final Duration LONG = Duration.ofSeconds(20);

    @ParameterizedTest(name = "{0} cores → {1} at once")
    @CsvSource({"1, 1", "2, 1", "3, 1", "4, 1", "7, 1", "8, 2", "16, 4", "64, 16"})
    void onePassPerFourCoresAtLeastOne(int cores, int slots) {
        assertThat(PassGate.slots(cores)).isEqualTo(slots);
    }

    @Test
    void refusesNoSlotsAndNoCores() {
        assertThatThrownBy(() -> new PassGate(0)).hasMessageContaining("slots 0");
        assertThatThrownBy(() -> PassGate.slots(0)).hasMessageContaining("cores 0");
    }

    @Test
    void aPassEntersAtOnceWhenASlotIsFreeAndTheNextWaitsForItToEnd() throws Exception {
        PassGate gate = new PassGate(1);
        PassGate.Turn first = gate.enter(1.0, LONG);
        assertThat(first.waitedMs()).isZero();
        CompletableFuture<PassGate.Turn> second = enterLater(gate, 1.0, List.of());
        awaitWaiting(gate, 1);
        assertThat(second).isNotDone();
        Thread.sleep(100);
        first.close();
        first.close(); // idempotent: frees one slot once
        PassGate.Turn t = second.get(5, TimeUnit.SECONDS);
        assertThat(t.waitedMs()).isGreaterThanOrEqualTo(100);
        assertThat(t.overdue()).isFalse();
        assertThat(gate.running()).isEqualTo(1);
        t.close();
        assertThat(gate.running()).isZero();
    }

    @Test
    void theHighestShareWaitingGoesFirstThenTheEarliest() throws Exception {
        PassGate gate = new PassGate(1);
        PassGate.Turn holder = gate.enter(1.0, LONG);
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<PassGate.Turn> busy1 = enterLater(gate, 1.0, order, "busy1");
        awaitWaiting(gate, 1);
        CompletableFuture<PassGate.Turn> busy2 = enterLater(gate, 1.0, order, "busy2");
        awaitWaiting(gate, 2);
        CompletableFuture<PassGate.Turn> rare = enterLater(gate, 10.0, order, "rare");
        awaitWaiting(gate, 3);
        holder.close();
        rare.get(5, TimeUnit.SECONDS).close();
        busy1.get(5, TimeUnit.SECONDS).close();
        busy2.get(5, TimeUnit.SECONDS).close();
        assertThat(order).containsExactly("rare", "busy1", "busy2");
    }

    @Test
    void aPassThatWaitedTooLongEntersBesideTheOthers() throws Exception {
        PassGate gate = new PassGate(1);
        PassGate.Turn holder = gate.enter(1.0, LONG);
        PassGate.Turn late = gate.enter(1.0, Duration.ofMillis(150));
        assertThat(late.overdue()).isTrue();
        assertThat(late.waitedMs()).isGreaterThanOrEqualTo(150);
        assertThat(gate.running()).as("it holds a slot too").isEqualTo(2);
        assertThat(gate.waiting()).isZero();
        holder.close();
        assertThat(gate.running()).isEqualTo(1);
        CompletableFuture<PassGate.Turn> next = enterLater(gate, 1.0, List.of());
        awaitWaiting(gate, 1);
        late.close();
        next.get(5, TimeUnit.SECONDS).close();
    }

    @Test
    void anInterruptedWaitLeavesTheQueue() throws Exception {
        PassGate gate = new PassGate(1);
        PassGate.Turn holder = gate.enter(1.0, LONG);
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                gate.enter(1.0, LONG);
            } catch (InterruptedException expected) {
                // left the queue
            }
        });
        awaitWaiting(gate, 1);
        waiter.interrupt();
        waiter.join(5000);
        assertThat(gate.waiting()).isZero();
        holder.close();
        gate.enter(1.0, Duration.ZERO).close();
        assertThat(gate.running()).isZero();
    }

    @Test
    void twoSlotsLetTwoInAndOffNeverWaits() throws Exception {
        PassGate two = new PassGate(2);
        PassGate.Turn a = two.enter(1.0, LONG);
        PassGate.Turn b = two.enter(1.0, LONG);
        assertThat(a.waitedMs() + b.waitedMs()).isZero();
        assertThat(two.running()).isEqualTo(2);

        PassGate off = PassGate.off();
        for (int i = 0; i < 100; i++) {
            assertThat(off.enter(1.0, Duration.ZERO).overdue()).isFalse();
        }
        assertThat(off.running()).isEqualTo(100);
    }

    private static CompletableFuture<PassGate.Turn> enterLater(
            PassGate gate, double share, List<String> order, String... name) {
        CompletableFuture<PassGate.Turn> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                PassGate.Turn t = gate.enter(share, LONG);
                if (name.length > 0) {
                    order.add(name[0]);
                }
                f.complete(t);
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private static void awaitWaiting(PassGate gate, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gate.waiting() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(gate.waiting()).isEqualTo(n);
    }
}
