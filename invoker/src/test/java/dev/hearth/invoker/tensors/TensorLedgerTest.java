package dev.hearth.invoker.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.pool.TensorAccount;
import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import dev.hearth.testsupport.MutableClock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger over a real store directory: references, charges in MB, rebuild, removal. */
class TensorLedgerTest {
    static final int MB = 1 << 20;
    static final String BUNDLE = "b0".repeat(32);

    @TempDir
    Path root;

    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
    TensorStore store;
    TensorLedger ledger;
    String backbone;
    String head;

    static ByteBuffer bytes(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    @BeforeEach
    void store() throws IOException {
        store = new TensorStore(root);
        backbone = store.publish(bytes(6 * MB, 1)).getFileName().toString();
        head = store.publish(bytes(2 * MB, 2)).getFileName().toString();
        store.writeIndex(
                BUNDLE,
                new TensorIndex(List.of(
                        new TensorIndex.Entry("w", "FLOAT32", new long[] {6 * MB / 4}, backbone, 6 * MB),
                        new TensorIndex.Entry("b", "FLOAT32", new long[] {2 * MB / 4}, head, 2 * MB))));
        ledger = new TensorLedger(store, clock, Duration.ofMinutes(10));
        ledger.rebuild();
    }

    @Test
    void afterARebuildEverythingIsStoredAndUnreferenced() {
        assertThat(ledger.store()).isEqualTo(new TensorAccount.Store(8, 8));
        assertThat(ledger.bundle(BUNDLE)).isEqualTo(new TensorAccount.Stored(8, 8));
        assertThat(ledger.bundle("ff".repeat(32))).isEqualTo(new TensorAccount.Stored(0, 0));
        assertThat(ledger.usage().tensors().get(backbone).idleSince()).isEqualTo(clock.instant());
    }

    @Test
    void startingPinsTheBundlesStoredTensorsAndAttachReplacesThem() {
        ledger.starting("c1", BUNDLE);
        assertThat(ledger.container("c1")).isEqualTo(new TensorAccount.Share(8, 8));
        assertThat(ledger.store()).isEqualTo(new TensorAccount.Store(8, 0));
        assertThat(ledger.usage().protectFrom()).isEqualTo(clock.instant());

        ledger.attach("c1", List.of(backbone)); // it mapped only the backbone
        assertThat(ledger.container("c1")).isEqualTo(new TensorAccount.Share(6, 6));
        assertThat(ledger.store()).isEqualTo(new TensorAccount.Store(8, 2));
        assertThat(ledger.usage().protectFrom()).isNull();

        ledger.starting("c2", BUNDLE);
        ledger.attach("c2", List.of(backbone, head));
        assertThat(ledger.container("c1")).as("backbone now shared with c2").isEqualTo(new TensorAccount.Share(6, 0));
        assertThat(ledger.container("c2")).isEqualTo(new TensorAccount.Share(8, 2));
        TensorUsage usage = ledger.usage();
        assertThat(usage.bytesWithoutSharing()).isEqualTo(14L * MB);
        assertThat(usage.dedupeRatio()).isEqualTo(14.0 / 8);
    }

    @Test
    void detachEndsReferencesAndStartsTheGraceClock() {
        ledger.starting("c1", BUNDLE);
        ledger.attach("c1", List.of(backbone, head));
        clock.advance(Duration.ofSeconds(60));
        ledger.detach("c1");
        assertThat(ledger.container("c1")).isEqualTo(new TensorAccount.Share(0, 0));
        assertThat(ledger.store()).isEqualTo(new TensorAccount.Store(8, 8));
        assertThat(ledger.usage().tensors().get(head).idleSince()).isEqualTo(clock.instant());
        assertThat(ledger.usage().containers()).doesNotContainKey("c1");
    }

    @Test
    void removeSkipsReferencedTensorsAndDeletesTheRest() {
        ledger.attach("c1", List.of(backbone));
        long freed = ledger.remove(List.of(backbone, head));
        assertThat(freed).isEqualTo(2L * MB);
        assertThat(Files.exists(root.resolve(backbone))).isTrue();
        assertThat(Files.exists(root.resolve(head))).isFalse();
        assertThat(ledger.store()).isEqualTo(new TensorAccount.Store(6, 0));
    }

    @Test
    void reclaimUnderPressureKeepsTheRequestsOwnTensors() throws IOException {
        String other = store.publish(bytes(3 * MB, 3)).getFileName().toString();
        ledger.refresh();
        ledger.reclaim(1, BUNDLE);
        assertThat(Files.exists(root.resolve(other))).isFalse();
        assertThat(Files.exists(root.resolve(backbone))).isTrue();
        assertThat(Files.exists(root.resolve(head))).isTrue();
    }

    @Test
    void refreshTakesInNewFilesAndAttachLearnsUnknownOnes() throws IOException {
        String late = store.publish(bytes(MB, 4)).getFileName().toString();
        ledger.attach("c1", List.of(late, "00".repeat(32)));
        assertThat(ledger.container("c1")).isEqualTo(new TensorAccount.Share(1, 1));
        store.remove(head);
        ledger.refresh();
        assertThat(ledger.usage().tensors()).containsOnlyKeys(backbone, late);
        assertThat(ledger.usage().containers().get("c1")).isEqualTo(Set.of(late));
    }

    @Test
    void theJanitorRemovesTensorsPastTheirGraceOnly() {
        ledger.attach("c1", List.of(backbone));
        try (TensorJanitor janitor = new TensorJanitor(ledger, clock, Duration.ofMinutes(10), false)) {
            // the janitor rebuilt the ledger: c1's reference is gone with the old view, as after a restart
            ledger.attach("c1", List.of(backbone));
            clock.advance(Duration.ofMinutes(11));
            janitor.sweep();
            assertThat(Files.exists(root.resolve(head))).isFalse();
            assertThat(Files.exists(root.resolve(backbone))).isTrue();
        }
    }

    @Test
    void aScrubRemovesADamagedFileSoTheNextLoadRebuildsIt() throws IOException {
        Files.write(root.resolve(head), new byte[10]);
        try (TensorJanitor janitor = new TensorJanitor(ledger, clock, Duration.ofMinutes(10), false)) {
            janitor.scrub();
            assertThat(Files.exists(root.resolve(head))).isFalse();
            assertThat(ledger.usage().tensors()).containsOnlyKeys(backbone);
        }
    }
}
