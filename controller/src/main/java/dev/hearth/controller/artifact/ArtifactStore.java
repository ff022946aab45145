package dev.hearth.controller.artifact;

import dev.hearth.controller.web.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code artifacts} and {@code artifact_owners} tables: content stored once by the SHA-256 of
 * its bytes, each content a PostgreSQL large object ({@code content_oid}), written and read as
 * streams so that no artifact is ever held in memory whole.
 *
 * <p>Writing, in one transaction: create a large object, copy the stream into it while hashing and
 * counting, check the size bound and the expected digest, then {@code insert ... on conflict
 * (digest) do nothing}. When the digest was already there the new large object is unlinked in the
 * same transaction, so a content exists once. Any failure (a read error, 413 past the bound, a digest
 * mismatch) rolls the transaction back, and PostgreSQL drops the large object with it: nothing
 * half-stored remains. Example: two uploads of the same 2 GB bundle race; both write a large object,
 * the second insert waits on the first's key, finds it, unlinks its own object and commits; one row
 * and one large object remain.
 *
 * <p>{@code artifact_owners} records which namespaces stored which content: knowing a digest is not
 * enough to use (and read back) another namespace's bytes.
 *
 * <p>Caveat: an upload holds a pooled connection and an open transaction for as long as the client
 * takes to send; the upload endpoint bounds how many run at once.
 */
@Repository
public class ArtifactStore {
    static final int BUFFER = 256 * 1024;

    private final DataSource dataSource;
    private final JdbcClient jdbc;

    ArtifactStore(DataSource dataSource, JdbcClient jdbc) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
    }

    /** A stored artifact; {@code created} is false when the content was already there. */
    public record Stored(String digest, long size, boolean created) {}

    /** Reads an artifact's bytes as a stream; {@code size} is the stored size. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(InputStream in, long size) throws IOException;
    }

    /**
     * Streams {@code in} into a new artifact (see the class comment for the transaction).
     *
     * @param maxBytes       {@link ApiException.TooLarge} once more bytes than this arrive
     * @param expectedDigest lower-case hex SHA-256 the content must have, or null
     * @param owner          the namespace storing it, which may then refer to it by digest
     */
    public Stored put(InputStream in, long maxBytes, String expectedDigest, String owner) {
        return inTransaction(c -> {
            Stored stored = write(c, in, maxBytes, expectedDigest);
            own(c, owner, stored.digest());
            return stored;
        });
    }

    /** Stores bytes already in memory whose digest is known; no new large object when it is there. */
    public Stored put(byte[] content, String digest, String owner) {
        Optional<Long> size = size(digest);
        if (size.isPresent()) {
            inTransaction(c -> own(c, owner, digest));
            return new Stored(digest, size.get(), false);
        }
        return put(new ByteArrayInputStream(content), Long.MAX_VALUE, digest, owner);
    }

    /** Whether {@code namespace} stored these bytes itself (and so may refer to them by digest). */
    public boolean owns(String namespace, String digest) {
        return jdbc.sql("select count(*) from artifact_owners where namespace = ? and digest = ?")
                        .params(namespace, digest)
                        .query(Long.class)
                        .single()
                > 0;
    }

    /** The stored size of an artifact, empty when no artifact has this digest. */
    public Optional<Long> size(String digest) {
        return jdbc.sql("select size_bytes from artifacts where digest = ?")
                .param(digest)
                .query(Long.class)
                .optional();
    }

    /** Streams the artifact's bytes to {@code reader} inside a read transaction; empty when it does not exist. */
    public <T> Optional<T> read(String digest, Reader<T> reader) {
        return inTransaction(c -> {
            long oid;
            long size;
            try (PreparedStatement s =
                    c.prepareStatement("select content_oid, size_bytes from artifacts where digest = ?")) {
                s.setString(1, digest);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    oid = rs.getLong(1);
                    size = rs.getLong(2);
                }
            }
            LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            try (LargeObject lo = lom.open(oid, LargeObjectManager.READ);
                    InputStream in = lo.getInputStream()) {
                return Optional.ofNullable(reader.read(in, size));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read artifact " + digest, e);
            }
        });
    }

    private static Stored write(Connection c, InputStream in, long maxBytes, String expectedDigest)
            throws SQLException {
        LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
        long oid = lom.createLO(LargeObjectManager.READWRITE);
        MessageDigest sha = sha256();
        long total = 0;
        try (LargeObject lo = lom.open(oid, LargeObjectManager.WRITE)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw new ApiException.TooLarge("Artifact", total, maxBytes);
                }
                sha.update(buffer, 0, n);
                lo.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the artifact's bytes", e);
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        if (expectedDigest != null && !expectedDigest.equals(digest)) {
            throw new ApiException.BadRequest("The content's SHA-256 is " + digest + ", not " + expectedDigest
                    + " as expected; nothing was stored.");
        }
        int inserted;
        try (PreparedStatement s = c.prepareStatement("insert into artifacts (digest, size_bytes, content_oid) "
                + "values (?, ?, ?) on conflict (digest) do nothing")) {
            s.setString(1, digest);
            s.setLong(2, total);
            s.setLong(3, oid);
            inserted = s.executeUpdate();
        }
        if (inserted == 0) {
            lom.unlink(oid);
        }
        return new Stored(digest, total, inserted > 0);
    }

    private static boolean own(Connection c, String namespace, String digest) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into artifact_owners (namespace, digest) " + "values (?, ?) on conflict do nothing")) {
            s.setString(1, namespace);
            s.setString(2, digest);
            return s.executeUpdate() > 0;
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in a transaction of its own; anything thrown rolls it back. */
    private <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException r) {
                    e.addSuppressed(r);
                }
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("artifact store: " + e.getMessage(), e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
