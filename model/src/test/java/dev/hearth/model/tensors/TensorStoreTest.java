package dev.hearth.model.tensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.tensors.TensorStore.MappedTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorStoreTest {

    @TempDir
    Path root;

    static ByteBuffer tensor(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }

    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9a-f]{64}"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void publishNamesTheFileByTheFullSha256AndFindsItAgain() throws IOException {
        TensorStore store = new TensorStore(root);
        ByteBuffer bytes = tensor(10_000, 1);
        Path file = store.publish(bytes);
        assertThat(file.getFileName().toString())
                .hasSize(64)
                .matches("[0-9a-f]{64}")
                .isEqualTo(TensorStore.sha256(bytes));
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes.array());
        assertThat(bytes.position()).isZero();
        long modified = Files.getLastModifiedTime(file).toMillis();

        // Another process (a new store object) finds and verifies it without writing.
        assertThat(new TensorStore(root).publish(bytes)).isEqualTo(file);
        assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);
        store.publish(tensor(500, 2));
        assertThat(store.stats()).isEqualTo(new TensorStore.Stats(2, 10_500));
    }

    @Test
    void concurrentPublishersOfTheSameBytesLeaveOneFileAndNoTemporaryFile() throws Exception {
        ByteBuffer bytes = tensor(4 << 20, 3);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Path>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                // a store object per thread: like separate processes, no shared verification cache
                TensorStore store = new TensorStore(root);
                Callable<Path> publish = () -> {
                    start.await();
                    return store.publish(bytes.duplicate());
                };
                results.add(pool.submit(publish));
            }
            start.countDown();
            Set<Path> paths = new HashSet<>();
            for (Future<Path> f : results) {
                paths.add(f.get());
            }
            assertThat(paths).hasSize(1);
            assertThat(files()).containsExactly(TensorStore.sha256(bytes));
            assertThat(Files.readAllBytes(paths.iterator().next())).isEqualTo(bytes.array());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTruncatedFileIsDetectedAndRebuilt() throws IOException {
        ByteBuffer bytes = tensor(100_000, 4);
        Path file = new TensorStore(root).publish(bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(4096);
        }
        Path again = new TensorStore(root).publish(bytes);
        assertThat(again).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes.array());
        assertThat(files()).hasSize(1);
    }

    @Test
    void aCorruptedFileOfTheRightSizeIsDetectedAndRebuilt() throws IOException {
        ByteBuffer bytes = tensor(100_000, 5);
        Path file = new TensorStore(root).publish(bytes);
        byte[] bad = Files.readAllBytes(file);
        bad[54_321] ^= 0x40;
        Files.write(file, bad);
        TensorStore fresh = new TensorStore(root);
        MappedTensor mapped = fresh.map(bytes);
        assertThat(mapped.buffer().get(54_321)).isEqualTo(bytes.get(54_321));
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes.array());
    }

    @Test
    void aFullDiskFailsPublishAndTryMapFallsBackWithAWarning() throws IOException {
        TensorStore.Writer full = (channel, b) -> {
            channel.write(b.slice(0, Math.min(100, b.remaining())));
            throw new IOException("No space left on device");
        };
        TensorStore store = new TensorStore(root, full);
        ByteBuffer bytes = tensor(10_000, 6);
        assertThatThrownBy(() -> store.publish(bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No space left");
        List<String> warnings = new ArrayList<>();
        Optional<MappedTensor> mapped = store.tryMap(bytes, warnings::add);
        assertThat(mapped).isEmpty();
        assertThat(warnings)
                .singleElement()
                .asString()
                .contains("No space left on device")
                .contains("private memory");
        assertThat(files()).as("no partial or temporary file left").isEmpty();
    }

    @Test
    void anUnwritableRootFallsBack() throws IOException {
        Path notADirectory = Files.writeString(root.resolve("plain-file"), "x");
        TensorStore store = new TensorStore(notADirectory.resolve("tensors"));
        List<String> warnings = new ArrayList<>();
        assertThat(store.tryMap(tensor(100, 7), warnings::add)).isEmpty();
        assertThat(warnings).hasSize(1);
        assertThat(store.stats()).isEqualTo(new TensorStore.Stats(0, 0));
    }

    @Test
    void theMappingIsCopyOnWrite() throws IOException {
        ByteBuffer bytes = tensor(3 * 4096, 8);
        TensorStore store = new TensorStore(root);
        MappedTensor a = store.map(bytes);
        MappedTensor b = store.map(bytes);
        assertThat(a.file()).isEqualTo(b.file());
        a.buffer().put(5000, (byte) (bytes.get(5000) + 1));
        assertThat(a.buffer().get(5000)).isNotEqualTo(bytes.get(5000));
        assertThat(b.buffer().get(5000)).as("another mapping").isEqualTo(bytes.get(5000));
        assertThat(Files.readAllBytes(a.file())).as("the file").isEqualTo(bytes.array());
    }

    @Test
    void mapPresentMapsAStoredTensorByItsHashAndRefusesAbsentOrDamagedOnes() throws IOException {
        ByteBuffer bytes = tensor(50_000, 11);
        String sha = TensorStore.sha256(bytes);
        TensorStore store = new TensorStore(root);
        assertThat(store.mapPresent(sha, 50_000)).isEmpty();
        store.publish(bytes);
        MappedTensor mapped = new TensorStore(root).mapPresent(sha, 50_000).orElseThrow();
        assertThat(mapped.buffer().get(123)).isEqualTo(bytes.get(123));
        assertThat(store.mapPresent(sha, 49_999)).as("wrong size").isEmpty();
        assertThat(files()).as("a file failing verification is deleted").isEmpty();
    }

    @Test
    void aStampedFileChangedLaterIsHashedAgainAndRefused() throws IOException {
        ByteBuffer bytes = tensor(50_000, 12);
        String sha = TensorStore.sha256(bytes);
        Path file = new TensorStore(root).publish(bytes); // verified and stamped
        byte[] bad = Files.readAllBytes(file);
        bad[7] ^= 1;
        Files.write(file, bad); // same size; a new change time voids the stamp
        assertThat(new TensorStore(root).mapPresent(sha, 50_000)).isEmpty();
        assertThat(files()).isEmpty();
    }

    @Test
    void scrubHashesAgainDespiteAMatchingStamp() throws IOException {
        ByteBuffer bytes = tensor(20_000, 13);
        String sha = TensorStore.sha256(bytes);
        new TensorStore(root).publish(bytes);
        assertThat(new TensorStore(root).scrub(sha)).isTrue();
        assertThat(new TensorStore(root).scrub("00".repeat(32))).isFalse();
    }

    @Test
    void removeDeletesATensorAndListShowsWhatIsLeft() throws IOException {
        TensorStore store = new TensorStore(root);
        String a = store.publish(tensor(1000, 14)).getFileName().toString();
        String b = store.publish(tensor(2000, 15)).getFileName().toString();
        assertThat(store.list()).extracting(TensorStore.StoredTensor::sha256).containsExactlyInAnyOrder(a, b);
        store.remove(a);
        assertThat(store.list()).extracting(TensorStore.StoredTensor::sha256).containsExactly(b);
        assertThat(store.stats()).isEqualTo(new TensorStore.Stats(1, 2000));
        assertThat(store.mapPresent(a, 1000)).isEmpty();
    }

    @Test
    void anIndexRoundTripsAndADamagedOneIsDropped() throws IOException {
        TensorStore store = new TensorStore(root);
        String key = "cd".repeat(32);
        TensorIndex index = new TensorIndex(List.of(
                new TensorIndex.Entry("weight", "FLOAT32", new long[] {3, 4}, "11".repeat(32), 48),
                new TensorIndex.Entry("scalar", "FLOAT32", new long[0], "22".repeat(32), 4)));
        assertThat(store.index(key)).isEmpty();
        store.writeIndex(key, index);
        assertThat(store.index(key)).contains(index);
        assertThat(index.bytes()).isEqualTo(52);
        Path file = root.resolve(".index").resolve(key);
        Files.writeString(file, Files.readString(file).replace("3,4", "3,5"));
        assertThat(store.index(key)).as("fails its check").isEmpty();
        assertThat(file).doesNotExist();
    }

    @Test
    void filesStampsAndIndexesAreReadableByOtherUsers() throws IOException {
        TensorStore store = new TensorStore(root);
        ByteBuffer bytes = tensor(1000, 11);
        String sha = TensorStore.sha256(bytes);
        Path file = store.publish(bytes);
        store.writeIndex(
                sha, new TensorIndex(List.of(new TensorIndex.Entry("w", "FLOAT32", new long[] {250}, sha, 1000))));
        for (Path p : List.of(
                file,
                root.resolve(".verified").resolve(sha),
                root.resolve(".index").resolve(sha))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                    .as(p.toString())
                    .isEqualTo("rw-r--r--");
        }
    }

    @Test
    void aFileOpenOnlyForReadingIsMappedCopyOnWrite() throws IOException {
        ByteBuffer bytes = tensor(3 * 4096 + 17, 12);
        Path file = new TensorStore(root).publish(bytes);
        ByteBuffer a = CopyOnWriteMapping.map(file, bytes.remaining());
        ByteBuffer b = CopyOnWriteMapping.map(file, bytes.remaining());
        assertThat(a.isDirect()).isTrue();
        assertThat(a.capacity()).isEqualTo(bytes.remaining());
        assertThat(a.duplicate()).isEqualTo(bytes.duplicate());
        byte before = a.get(5000);
        a.put(5000, (byte) (before + 1)); // an in-place op on a weight: must neither crash nor reach the file
        assertThat(a.get(5000)).isEqualTo((byte) (before + 1));
        assertThat(b.get(5000)).as("another mapping of the file").isEqualTo(before);
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes.array());
        assertThat(new TensorStore(root).scrub(TensorStore.sha256(bytes))).isTrue();
    }
}
