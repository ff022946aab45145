package dev.hearth.invoker.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The local cache of action code by SHA-256 digest. {@link #path} returns the cached file, fetching
 * it from the {@code artifacts} table the first time: the bytes are verified against the digest and
 * written to a temporary file that is renamed into place, so a reader never sees a partial file.
 * Concurrent requests for one digest share one fetch. A file already on disk (from an earlier run) is
 * verified once per process before it is trusted.
 */
public final class ArtifactStore {
    private final JdbcClient jdbc;
    private final Path dir;
    private final ConcurrentHashMap<String, CompletableFuture<Path>> known = new ConcurrentHashMap<>();

    public ArtifactStore(JdbcClient jdbc, Path dir) {
        this.jdbc = jdbc;
        this.dir = dir;
    }

    /** The code of {@code digest} on local disk; throws {@link ArtifactException} when it cannot be had. */
    public Path path(String digest) throws ArtifactException {
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> existing = known.putIfAbsent(digest, mine);
        if (existing == null) {
            try {
                mine.complete(load(digest));
            } catch (ArtifactException | RuntimeException e) {
                known.remove(digest, mine); // let a later activation try again
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

    private Path load(String digest) throws ArtifactException {
        Path file = dir.resolve(digest + ".jar");
        try {
            if (Files.isRegularFile(file)) {
                if (digest.equals(sha256(file))) {
                    return file;
                }
                Files.delete(file); // corrupt: fetch again
            }
            byte[] bytes = jdbc.sql("select content from artifacts where digest = ?")
                    .param(digest)
                    .query(byte[].class)
                    .optional()
                    .orElseThrow(() -> new ArtifactException("artifact " + digest + " is not in the store"));
            String actual = HexFormat.of().formatHex(sha256().digest(bytes));
            if (!actual.equals(digest)) {
                throw new ArtifactException("artifact " + digest + " does not match its digest (got " + actual + ")");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, digest, ".tmp");
            try {
                Files.write(tmp, bytes);
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
        } catch (UncheckedIOException e) {
            throw new ArtifactException("cannot cache artifact " + digest + ": " + e.getMessage(), e);
        }
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
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
