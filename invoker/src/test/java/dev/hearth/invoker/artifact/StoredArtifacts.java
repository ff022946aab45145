package dev.hearth.invoker.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/** Test fixture: stores a file as the controller does since schema V2, as a large object streamed in. */
public final class StoredArtifacts {
    private StoredArtifacts() {}

    /** Inserts {@code file} under its SHA-256 and returns the digest. */
    public static String insert(Connection c, Path file) throws SQLException, IOException {
        return insert(c, file, null);
    }

    /** Inserts {@code file} under {@code digest} (its own SHA-256 when null: a wrong one makes a corrupt row). */
    public static String insert(Connection c, Path file, String digest) throws SQLException, IOException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
            long oid = lom.createLO(LargeObjectManager.READWRITE);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            LargeObject lo = lom.open(oid, LargeObjectManager.WRITE);
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha);
                    OutputStream out = lo.getOutputStream()) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(sha.digest());
            String key = digest == null ? actual : digest;
            try (PreparedStatement s = c.prepareStatement(
                    "insert into artifacts (digest, size_bytes, content_oid) values (?, ?, ?) on conflict do nothing")) {
                s.setString(1, key);
                s.setLong(2, Files.size(file));
                s.setLong(3, oid);
                s.executeUpdate();
            }
            c.commit();
            return key;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }
}
