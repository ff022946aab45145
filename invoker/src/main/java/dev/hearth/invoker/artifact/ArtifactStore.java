package dev.hearth.invoker.artifact;

import dev.hearth.common.io.FileTrees;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.bundle.InvalidBundleException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.largeobject.LargeObject;
import org.postgresql.largeobject.LargeObjectManager;

/**
 * The local cache of action code by SHA-256 digest. {@link #path} returns the cached file, fetching
 * it the first time from the PostgreSQL large object that {@code artifacts.content_oid} names: the
 * bytes are streamed (read-only transaction, {@value #CHUNK}-byte reads, never the whole artifact in
 * memory: bundles reach several GB) to {@code <digest>.tmp}, hashed on the way, and renamed into
 * place only when the digest matches, so a reader never sees a partial or wrong file.
 *
 * <p>Files are named {@code <digest><suffix>} with the suffix the runtime proxy expects for the kind:
 * {@code .jar} for {@code java}, {@code .zip} for model bundles ({@code djl:*}; DJL decides how to
 * open a model path by its extension). Concurrent requests for one file share one fetch. A file
 * already on disk (from an earlier run) is verified once per process before it is trusted; a corrupt
 * one is fetched again. One invoker owns a data directory: two processes fetching the same digest
 * into one directory would share the {@code .tmp} name.
 *
 * <p>Model bundles are also kept extracted ({@link #code}): {@code <digest>.d/}, extracted once per
 * invoker process from the verified zip into a temporary directory and renamed into place, so the
 * containers of one machine open the same files instead of each unpacking the zip (for ResNet-50 that
 * is 100 MB written per cold start). A directory left by an earlier process is replaced, not trusted.
 */
public final class ArtifactStore {
    static final int CHUNK = 1 << 20;
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    private final DataSource dataSource;
    private final Path dir;
    private final ConcurrentHashMap<String, CompletableFuture<Path>> known = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CompletableFuture<Path>> extracted = new ConcurrentHashMap<>();

    public ArtifactStore(DataSource dataSource, Path dir) {
        this.dataSource = dataSource;
        this.dir = dir;
    }

    /** The file suffix for code of {@code kind}: {@code .jar}, {@code .zip} for model bundles, else none. */
    public static String suffix(String kind) {
        if ("java".equals(kind)) {
            return ".jar";
        }
        return kind != null && kind.startsWith("djl:") ? ".zip" : "";
    }

    /**
     * What a container is given as its code: {@link #path} for {@code java}; for a model kind the bundle
     * extracted into a directory (once per process and digest).
     */
    public Path code(String digest, String kind) throws ArtifactException {
        Path file = path(digest, kind);
        if (kind == null || !kind.startsWith("djl:")) {
            return file;
        }
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> existing = extracted.putIfAbsent(digest, mine);
        if (existing == null) {
            try {
                mine.complete(extract(digest, file));
            } catch (ArtifactException | RuntimeException e) {
                extracted.remove(digest, mine);
                mine.completeExceptionally(e);
            }
            existing = mine;
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while extracting bundle " + digest);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArtifactException a) {
                throw a;
            }
            throw new ArtifactException("cannot extract bundle " + digest + ": " + e.getCause(), e.getCause());
        }
    }

    private Path extract(String digest, Path zip) throws ArtifactException {
        Path target = dir.resolve(digest + ".d");
        try {
            FileTrees.delete(target);
            Path tmp = Files.createTempDirectory(dir, digest.substring(0, 12) + ".d.tmp-");
            try {
                ExtractedBundle.extractTo(zip, tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(tmp);
            }
            return target;
        } catch (InvalidBundleException e) {
            throw new ArtifactException("bundle " + digest + " cannot be extracted: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ArtifactException("cannot extract bundle " + digest + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The code of {@code digest} for an action of {@code kind} on local disk. */
    public Path path(String digest, String kind) throws ArtifactException {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new ArtifactException("artifact digest '" + digest + "' is not 64 lower-case hex digits");
        }
        String name = digest + suffix(kind);
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> existing = known.putIfAbsent(name, mine);
        if (existing == null) {
            try {
                mine.complete(load(digest, dir.resolve(name)));
            } catch (ArtifactException | RuntimeException e) {
                known.remove(name, mine); // let a later activation try again
                mine.completeExceptionally(e);
            }
            existing = mine;
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArtifactException("interrupted while fetching artifact " + digest);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ArtifactException a) {
                throw a;
            }
            throw new ArtifactException("cannot fetch artifact " + digest + ": " + e.getCause(), e.getCause());
        }
    }

    private Path load(String digest, Path file) throws ArtifactException {
        try {
            if (Files.isRegularFile(file)) {
                if (digest.equals(sha256(file))) {
                    return file;
                }
                Files.delete(file); // corrupt: fetch again
            }
            Files.createDirectories(dir);
            Path tmp = dir.resolve(digest + ".tmp");
            try {
                String actual = fetch(digest, tmp);
                if (!actual.equals(digest)) {
                    throw new ArtifactException(
                            "artifact " + digest + " does not match its digest (got " + actual + ")");
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new ArtifactException("cannot cache artifact " + digest + " in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Streams the large object of {@code digest} to {@code tmp} (synced), returning the SHA-256 of what was written. */
    private String fetch(String digest, Path tmp) throws ArtifactException, IOException {
        MessageDigest sha = sha256();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // large object descriptors live only inside a transaction
            c.setReadOnly(true);
            try {
                long oid = oid(c, digest);
                LargeObjectManager lom = c.unwrap(PGConnection.class).getLargeObjectAPI();
                LargeObject lo = lom.open(oid, LargeObjectManager.READ);
                try (OutputStream out = Files.newOutputStream(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[CHUNK];
                    int n;
                    while ((n = lo.read(buf, 0, buf.length)) > 0) {
                        sha.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                } finally {
                    lo.close();
                }
                c.commit();
            } catch (SQLException | IOException | ArtifactException | RuntimeException e) {
                rollback(c);
                throw e;
            } finally {
                c.setReadOnly(false);
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new ArtifactException("cannot read artifact " + digest + " from the store: " + e.getMessage(), e);
        }
        try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true); // durable before the rename publishes it
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static long oid(Connection c, String digest) throws SQLException, ArtifactException {
        try (PreparedStatement s = c.prepareStatement("select content_oid from artifacts where digest = ?")) {
            s.setString(1, digest);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new ArtifactException("artifact " + digest + " is not in the store");
                }
                return rs.getLong(1);
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is what matters
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
