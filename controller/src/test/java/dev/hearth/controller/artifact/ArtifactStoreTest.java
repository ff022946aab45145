package dev.hearth.controller.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.controller.web.ApiException;
import dev.hearth.testsupport.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The large-object artifact store against a real PostgreSQL: stored once, all or nothing, streamed back. */
class ArtifactStoreTest {
    static ArtifactStore store;
    static JdbcClient jdbc;

    @BeforeAll
    static void start() {
        TestDatabase.Database db = TestDatabase.fresh();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(db.jdbcUrl());
        ds.setUser(db.user());
        ds.setPassword(db.password());
        jdbc = JdbcClient.create(ds);
        for (String ns : List.of("a", "b")) {
            jdbc.sql("insert into namespaces (name, uuid, key_salt, key_hash) values (?, gen_random_uuid(), 's', 'h')")
                    .param(ns)
                    .update();
        }
        store = new ArtifactStore(ds, jdbc);
    }

    @Test
    void storesIdenticalContentOnce() {
        byte[] bytes = random(3 * ArtifactStore.BUFFER + 17, 1);
        long before = largeObjects();
        ArtifactStore.Stored first = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE, null, "a");
        ArtifactStore.Stored second = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE, null, "b");
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.digest()).isEqualTo(first.digest()).isEqualTo(Sha256.of(bytes));
        assertThat(first.size()).isEqualTo(bytes.length);
        assertThat(largeObjects()).isEqualTo(before + 1);
        assertThat(rows(first.digest())).isEqualTo(1);
        assertThat(store.owns("a", first.digest())).isTrue();
        assertThat(store.owns("b", first.digest())).isTrue();

        ArtifactStore.Stored inline = store.put(bytes, first.digest(), "a");
        assertThat(inline.created()).isFalse();
        assertThat(largeObjects()).isEqualTo(before + 1);
    }

    @Test
    void readsBackAsAStream() {
        byte[] bytes = random(2 * ArtifactStore.BUFFER + 5, 2);
        String digest = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE, null, "a")
                .digest();
        assertThat(store.read(digest, (in, size) -> {
                    assertThat(size).isEqualTo(bytes.length);
                    return in.readAllBytes();
                }))
                .hasValueSatisfying(read -> assertThat(read).isEqualTo(bytes));
        assertThat(store.size(digest)).hasValue((long) bytes.length);
        assertThat(store.read("0".repeat(64), (in, size) -> 1)).isEmpty();
        assertThat(store.size("0".repeat(64))).isEmpty();
    }

    @Test
    void tooLargeMidStreamLeavesNothing() {
        byte[] bytes = random(2 * ArtifactStore.BUFFER, 3);
        long before = largeObjects();
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), ArtifactStore.BUFFER + 1, null, "a"))
                .isInstanceOf(ApiException.TooLarge.class)
                .hasMessageStartingWith("Artifact larger than allowed: ");
        assertThat(largeObjects()).isEqualTo(before);
        assertThat(rows(Sha256.of(bytes))).isZero();
        assertThat(store.owns("a", Sha256.of(bytes))).isFalse();
    }

    @Test
    void aFailingStreamLeavesNothing() {
        long before = largeObjects();
        InputStream failing = new InputStream() {
            long sent;

            @Override
            public int read() throws IOException {
                if (sent++ > 3L * ArtifactStore.BUFFER) {
                    throw new IOException("client went away");
                }
                return 7;
            }
        };
        assertThatThrownBy(() -> store.put(failing, Long.MAX_VALUE, null, "a"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(largeObjects()).isEqualTo(before);
    }

    @Test
    void checksTheExpectedDigest() {
        byte[] bytes = random(1000, 4);
        long before = largeObjects();
        String wrong = Sha256.of(new byte[] {1});
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE, wrong, "a"))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessage("The content's SHA-256 is " + Sha256.of(bytes) + ", not " + wrong
                        + " as expected; nothing was stored.");
        assertThat(largeObjects()).isEqualTo(before);
        assertThat(rows(Sha256.of(bytes))).isZero();

        ArtifactStore.Stored ok = store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE, Sha256.of(bytes), "a");
        assertThat(ok.created()).isTrue();
        assertThat(largeObjects()).isEqualTo(before + 1);
    }

    @Test
    void racingUploadsOfTheSameContentStoreItOnce() throws Exception {
        byte[] bytes = random(4 * ArtifactStore.BUFFER, 5);
        long before = largeObjects();
        CountDownLatch go = new CountDownLatch(1);
        Callable<ArtifactStore.Stored> upload = () -> {
            go.await();
            return store.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE, null, "a");
        };
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<ArtifactStore.Stored>> results =
                    List.of(pool.submit(upload), pool.submit(upload), pool.submit(upload), pool.submit(upload));
            go.countDown();
            long created = 0;
            for (Future<ArtifactStore.Stored> r : results) {
                created += r.get().created() ? 1 : 0;
            }
            assertThat(created).isEqualTo(1);
        }
        assertThat(largeObjects()).isEqualTo(before + 1);
        assertThat(rows(Sha256.of(bytes))).isEqualTo(1);
    }

    @Test
    void parsesDigests() {
        String hex = "AB".repeat(32);
        assertThat(Sha256.parse(hex, "f")).isEqualTo(hex.toLowerCase());
        assertThat(Sha256.parse("sha256:" + hex, "f")).isEqualTo(hex.toLowerCase());
        assertThatThrownBy(() -> Sha256.parse("abc", "exec.digest"))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageEndingWith("'exec.digest' must be a SHA-256 digest: 64 hex digits");
    }

    private static long largeObjects() {
        return jdbc.sql("select count(*) from pg_largeobject_metadata")
                .query(Long.class)
                .single();
    }

    private static long rows(String digest) {
        return jdbc.sql("select count(*) from artifacts where digest = ?")
                .param(digest)
                .query(Long.class)
                .single();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return Arrays.copyOf(b, n);
    }
}
