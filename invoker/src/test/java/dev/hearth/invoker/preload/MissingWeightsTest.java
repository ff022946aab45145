package dev.hearth.invoker.preload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import dev.hearth.testsupport.MutableClock;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MissingWeightsTest {
    private static final String MODEL = "ab".repeat(32); // an index is keyed by its bundle's digest

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

    @Test
    void countsTheBytesNotInTheStoreAndKeepsTheCountForAWhile() throws Exception {
        TensorStore store = new TensorStore(dir.resolve("tensors"));
        ByteBuffer a = ByteBuffer.wrap(new byte[4096]);
        ByteBuffer b = ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        String ha = TensorStore.sha256(a.duplicate());
        String hb = TensorStore.sha256(b.duplicate());
        store.publish(a.duplicate());
        store.writeIndex(
                MODEL,
                new TensorIndex(List.of(
                        new TensorIndex.Entry("w", "FLOAT32", new long[] {1024}, ha, 4096),
                        new TensorIndex.Entry("b", "FLOAT32", new long[] {2}, hb, 8))));
        MissingWeights missing = new MissingWeights(store, clock);

        assertThat(missing.bytes(MODEL)).isEqualTo(OptionalLong.of(8)); // b is not stored
        assertThat(missing.bytes("cd".repeat(32))).isEmpty();

        store.publish(b.duplicate());
        clock.advance(MissingWeights.RECOUNT.minusMillis(1));
        assertThat(missing.bytes(MODEL))
                .as("counted again only after the recount interval")
                .isEqualTo(OptionalLong.of(8));
        clock.advance(Duration.ofMillis(1));
        assertThat(missing.bytes(MODEL)).isEqualTo(OptionalLong.of(0));

        Files.delete(store.file(ha));
        clock.advance(MissingWeights.RECOUNT);
        assertThat(missing.bytes(MODEL)).isEqualTo(OptionalLong.of(4096));
    }

    @Test
    void aModelWhoseIndexAppearsIsCountedAtOnce() throws Exception {
        TensorStore store = new TensorStore(dir.resolve("tensors"));
        MissingWeights missing = new MissingWeights(store, clock);
        assertThat(missing.bytes(MODEL)).isEmpty();
        store.writeIndex(
                MODEL,
                new TensorIndex(List.of(new TensorIndex.Entry("w", "FLOAT32", new long[] {1}, "0".repeat(64), 4))));
        assertThat(missing.bytes(MODEL)).isEqualTo(OptionalLong.of(4));
    }
}
