package dev.hearth.invoker.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.testsupport.CountingDataSource;
import dev.hearth.testsupport.TestDatabase;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/** The artifact cache against a real PostgreSQL with large objects (schema V2). */
class ArtifactStoreTest {
    static final int SIZE = 12 * 1024 * 1024 + 12345; // a dozen chunks and a partial one

    @TempDir
    static Path dir;

    static PGSimpleDataSource db;
    static Path blob;
    static String digest;

    @BeforeAll
    static void store() throws Exception {
        TestDatabase.Database d = TestDatabase.fresh();
        db = new PGSimpleDataSource();
        db.setURL(d.jdbcUrl());
        db.setUser(d.user());
        db.setPassword(d.password());
        blob = dir.resolve("blob.bin");
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(blob)) {
            for (int left = SIZE; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(left, chunk.length));
            }
        }
        try (Connection c = db.getConnection()) {
            digest = StoredArtifacts.insert(c, blob);
        }
    }

    @Test
    void aLargeObjectIsStreamedToDiskVerifiedAndNamedForItsKind() throws Exception {
        Path cache = dir.resolve("cache-1");
        ArtifactStore store = new ArtifactStore(db, cache);
        Path bundle = store.path(digest, "djl:pytorch");
        assertThat(bundle).isEqualTo(cache.resolve(digest + ".zip"));
        assertThat(Files.mismatch(bundle, blob)).isEqualTo(-1);
        Path jar = store.path(digest, "java");
        assertThat(jar.getFileName().toString()).isEqualTo(digest + ".jar");
        assertThat(Files.mismatch(jar, blob)).isEqualTo(-1);
        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".tmp"))
                            .toList())
                    .as("no temporary file left")
                    .isEmpty();
        }
    }

    @Test
    void aCorruptCachedFileIsFetchedAgain() throws Exception {
        Path cache = dir.resolve("cache-2");
        AtomicInteger connections = new AtomicInteger();
        Path file = new ArtifactStore(new CountingDataSource(db, connections).dataSource(), cache).path(digest, "java");
        assertThat(connections).hasValue(1);
        // a later run finds the file on disk: a good one is verified and kept, without the database
        assertThat(new ArtifactStore(new CountingDataSource(db, connections).dataSource(), cache).path(digest, "java"))
                .isEqualTo(file);
        assertThat(connections).hasValue(1);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 5_000_000); // flipped in the middle
        }
        ArtifactStore next = new ArtifactStore(new CountingDataSource(db, connections).dataSource(), cache);
        assertThat(next.path(digest, "java")).isEqualTo(file);
        assertThat(connections).as("re-fetched").hasValue(2);
        assertThat(Files.mismatch(file, blob)).isEqualTo(-1);
    }

    @Test
    void concurrentRequestsShareOneFetch() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        ArtifactStore store =
                new ArtifactStore(new CountingDataSource(db, connections).dataSource(), dir.resolve("cache-3"));
        Callable<Path> get = () -> store.path(digest, "djl:pytorch");
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Path>> all = pool.invokeAll(java.util.Collections.nCopies(8, get));
            for (Future<Path> f : all) {
                assertThat(Files.mismatch(f.get(), blob)).isEqualTo(-1);
            }
        }
        assertThat(connections).hasValue(1);
    }

    @Test
    void aMissingOrMismatchedArtifactIsAClearError() throws Exception {
        ArtifactStore store = new ArtifactStore(db, dir.resolve("cache-4"));
        assertThatThrownBy(() -> store.path("a".repeat(64), "java"))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("not in the store");
        String wrong = "b".repeat(64);
        try (Connection c = db.getConnection()) {
            StoredArtifacts.insert(c, blob, wrong);
        }
        assertThatThrownBy(() -> store.path(wrong, "java"))
                .isInstanceOf(ArtifactException.class)
                .hasMessageContaining("does not match its digest");
        assertThat(dir.resolve("cache-4").resolve(wrong + ".jar")).doesNotExist();
        assertThat(dir.resolve("cache-4").resolve(wrong + ".tmp")).doesNotExist();
        assertThatThrownBy(() -> store.path("../../etc/passwd", "java")).isInstanceOf(ArtifactException.class);
    }
}
