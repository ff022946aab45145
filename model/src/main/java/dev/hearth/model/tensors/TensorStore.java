package dev.hearth.model.tensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A content-addressed directory of raw tensors shared by every process of a machine: a tensor is a file
 * named by the lowercase hex SHA-256 of its bytes (64 characters, never a shortened hash) under
 * {@link #root()} ({@value #DEFAULT_ROOT} by default: a tmpfs, so a tensor's pages are the page cache
 * and every process mapping the file shares them).
 *
 * <p><b>Publishing</b> ({@link #publish}): if the file exists and is verified, it is returned. Otherwise
 * the bytes go to a unique temporary file in the same directory ({@code .tmp-<hash>-<random>}), are
 * fsynced, and are linked to the final name with {@code link(2)}, which is atomic and <em>never
 * replaces</em> an existing file: of several concurrent publishers of the same bytes (threads or
 * processes) the first link wins, the others find the name taken, delete their temporary file and use
 * the winner's. Readers therefore never see a partial tensor, and a file some process has mapped is
 * never swapped for a second copy (which would split the sharing). Where hard links are not supported
 * the fallback is {@code rename(2)} with {@code ATOMIC_MOVE} (same guarantees except that a racing
 * loser may replace the name with identical bytes).
 *
 * <p><b>Verification</b>: before a file is used its size must match and the SHA-256 of its content must
 * equal its name. Hashing is paid once per machine, not once per process: whoever verifies a file
 * records a <em>stamp</em> ({@code .verified/<hash>}: size, inode and change time) and later users
 * accept the file while its stamp still matches — a {@code stat} instead of reading every byte. Any
 * write, truncation or replacement of the file changes its change time (which, unlike the modification
 * time, no unprivileged tool can set back), so the stamp stops matching and the file is hashed again.
 * A truncated or corrupted file is deleted and rewritten from the caller's bytes, never served.
 *
 * <p><b>Indexes</b> ({@link #index}, {@link #writeIndex}): a model's list of parameter tensors (name,
 * type, shape, hash, size) under {@code .index/<key>}, keyed by the digest of the bundle it came from.
 * A loader that finds the index and every tensor present maps them without reading or hashing the
 * model file at all.
 *
 * <p><b>Faults</b>: any {@link IOException} while writing (a full tmpfs: {@code No space left on
 * device}, a read-only or missing root) surfaces from {@link #publish}/{@link #map}; {@link #tryMap}
 * turns it into {@link Optional#empty()} and a warning, so a loader falls back to private memory
 * rather than failing.
 *
 * <p><b>Mapping</b> ({@link #map}) is {@link MapMode#PRIVATE}, copy-on-write: reads share the store's
 * pages, a write (an in-place op on a weight) copies the touched page into the writer's private memory
 * and never reaches the file or another process. A {@code READ_ONLY} mapping would make such a write
 * kill the JVM inside libtorch. Java's {@code PRIVATE} needs the file opened for reading and writing;
 * where the store is read-only to this process (a Docker container sees it on a read-only bind mount)
 * the same copy-on-write mapping is made through libc over a read-only descriptor
 * ({@link CopyOnWriteMapping}), so such a process can map but never write, publish or delete. Files,
 * stamps and indexes are created {@code rw-r--r--}, readable by containers running as another user.
 *
 * <p>Caveats: removing unreferenced tensors is the invoker's job ({@link #remove}, called by its janitor);
 * a process that has mapped a file keeps its pages after removal, so the janitor only removes tensors
 * no container references. Stamps trust the file system's change time: a root user who rewrites a file
 * and resets the clock could defeat them (the invoker's start-up scrub hashes every file again).
 */
public final class TensorStore {

    /** Where the store lives unless configured: shared memory. */
    public static final String DEFAULT_ROOT = "/dev/shm/hearth/tensors";

    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}");
    private static final HexFormat HEX = HexFormat.of();

    /** How bytes reach a temporary file; a test can inject a failing one (a full disk). */
    @FunctionalInterface
    public interface Writer {
        void write(FileChannel channel, ByteBuffer bytes) throws IOException;
    }

    /** The default writer: every byte, then fsync. */
    public static final Writer FSYNC_WRITER = (channel, bytes) -> {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(true);
    };

    /** A file of the store, mapped copy-on-write, in native byte order, positioned at 0. */
    public record MappedTensor(String sha256, Path file, ByteBuffer buffer) {
        public long size() {
            return buffer.capacity();
        }
    }

    /** What the store holds: files and their total size (temporary files not counted). */
    public record Stats(long tensors, long bytes) {}

    private static final String STAMPS = ".verified";
    private static final String INDEXES = ".index";

    private final Path root;
    private final Writer writer;

    /** A store at {@code root}, created when first written to. */
    public TensorStore(Path root) {
        this(root, FSYNC_WRITER);
    }

    public TensorStore(Path root, Writer writer) {
        this.root = root.toAbsolutePath();
        this.writer = writer;
    }

    public Path root() {
        return root;
    }

    /** The lowercase hex SHA-256 of {@code bytes}' remaining content ({@code bytes} is not moved). */
    public static String sha256(ByteBuffer bytes) {
        MessageDigest digest = newDigest();
        digest.update(bytes.duplicate());
        return HEX.formatHex(digest.digest());
    }

    /** The file a tensor with this hash has, present or not. */
    public Path file(String sha256) {
        if (!NAME.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a lowercase hex SHA-256: " + sha256);
        }
        return root.resolve(sha256);
    }

    /**
     * Makes sure the store holds {@code bytes} (the remaining content; not moved) and returns its
     * verified file.
     *
     * @throws IOException when the file cannot be written (full disk, unwritable root)
     */
    public Path publish(ByteBuffer bytes) throws IOException {
        return publish(sha256(bytes), bytes);
    }

    /** {@link #publish(ByteBuffer)} when the caller has already hashed the bytes. */
    public Path publish(String sha256, ByteBuffer bytes) throws IOException {
        Path target = file(sha256);
        long size = bytes.remaining();
        if (verify(target, sha256, size)) {
            return target;
        }
        Files.createDirectories(root);
        Path tmp = Files.createTempFile(root, ".tmp-" + sha256.substring(0, 16) + "-", "");
        try {
            readableByAll(tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writer.write(channel, bytes.duplicate());
            }
            for (int attempt = 0; ; attempt++) {
                if (link(tmp, target)) {
                    break;
                }
                // Someone else published first: use theirs if it is good, else replace it.
                if (verify(target, sha256, size) || attempt >= 2) {
                    break;
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!verify(target, sha256, size)) {
            throw new IOException("tensor " + sha256 + " cannot be published: the file keeps failing verification");
        }
        return target;
    }

    /** Links {@code tmp} to {@code target}; false when the name is taken. */
    private static boolean link(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (AtomicMoveNotSupportedException e2) {
                throw new IOException(
                        "the tensor store's file system supports neither hard links nor atomic renames", e2);
            }
        }
    }

    /**
     * True when {@code file} exists with {@code size} bytes whose SHA-256 is {@code sha256}: its stamp
     * still matches, or its content is hashed now (and stamped). A file that exists but fails is deleted
     * (so it is rebuilt, never served).
     */
    private boolean verify(Path file, String sha256, long size) throws IOException {
        Optional<String> identity = identity(file);
        if (identity.isEmpty()) {
            return false;
        }
        if (identity.get().startsWith(size + " ") && identity.get().equals(readStamp(sha256))) {
            return true;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            boolean good = channel.size() == size && sha256.equals(hash(channel));
            if (good) {
                stamp(sha256, file);
                return true;
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(stampFile(sha256));
        } catch (IOException e) {
            // a read-only view of the store (a Docker container's): the file stays, unused; its owner rebuilds it
        }
        return false;
    }

    /** Size, inode and change time of {@code file}, or empty when it does not exist. */
    private static Optional<String> identity(Path file) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,ino,ctime");
            long ctime = ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS);
            return Optional.of(a.get("size") + " " + a.get("ino") + " " + ctime);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.of("unstamped"); // no unix attributes: never matches a stamp, always hashed
        }
    }

    private Path stampFile(String sha256) {
        return root.resolve(STAMPS).resolve(sha256);
    }

    private String readStamp(String sha256) {
        try {
            return Files.readString(stampFile(sha256));
        } catch (IOException e) {
            return null;
        }
    }

    /** Records that {@code file} was verified as it is now (best effort: without a stamp it is hashed again). */
    private void stamp(String sha256, Path file) {
        try {
            Optional<String> identity = identity(file);
            if (identity.isEmpty() || identity.get().equals("unstamped")) {
                return;
            }
            writeAtomically(stampFile(sha256), identity.get());
        } catch (IOException e) {
            // a full store cannot take the stamp either: the file is hashed again next time
        }
    }

    private static void writeAtomically(Path target, String content) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".tmp-", "");
        try {
            readableByAll(tmp);
            Files.writeString(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * {@code rw-r--r--} instead of {@code createTempFile}'s {@code rw-------}, set before the file gets its
     * name (a later chmod would change its change time and void its stamp): containers that run as
     * another user (Docker's unprivileged one) must read tensors, stamps and indexes.
     */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its default permissions apply
        }
    }

    /** Reads through a small buffer rather than a mapping: a mapping would stay in this process's RSS until GC. */
    private static String hash(FileChannel channel) throws IOException {
        MessageDigest digest = newDigest();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        long position = 0;
        while (true) {
            int n = channel.read(chunk.clear(), position);
            if (n < 0) {
                break;
            }
            position += n;
            digest.update(chunk.array(), 0, n);
        }
        return HEX.formatHex(digest.digest());
    }

    /**
     * Whether the store holds the tensor {@code sha256} of {@code size} bytes, verified as {@link #publish}
     * verifies (a {@code stat} while its stamp matches; a bad file is deleted).
     */
    public boolean present(String sha256, long size) throws IOException {
        return verify(file(sha256), sha256, size);
    }

    /**
     * Maps the tensor {@code sha256} of {@code size} bytes if the store holds it (verified as
     * {@link #publish} does: a bad file is deleted), without the caller having its bytes.
     *
     * @return empty when it is absent or was bad
     */
    public Optional<MappedTensor> mapPresent(String sha256, long size) throws IOException {
        Path file = file(sha256);
        if (!verify(file, sha256, size)) {
            return Optional.empty();
        }
        try {
            return Optional.of(mapFile(sha256, file, size));
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed meanwhile
        }
    }

    /**
     * Deletes a tensor and its stamp (the invoker's janitor, for tensors no container references).
     * Processes that mapped it keep their pages until they unmap them.
     */
    public void remove(String sha256) throws IOException {
        Files.deleteIfExists(file(sha256));
        Files.deleteIfExists(stampFile(sha256));
    }

    /**
     * Hashes {@code sha256}'s file again, ignoring its stamp; a bad file is deleted.
     *
     * @return whether the file is present and good
     */
    public boolean scrub(String sha256) throws IOException {
        Files.deleteIfExists(stampFile(sha256));
        Path file = file(sha256);
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        return verify(file, sha256, size);
    }

    /** The index stored under {@code key} (a bundle digest), if there is a readable one. */
    public Optional<TensorIndex> index(String key) {
        Path file = indexFile(key);
        try {
            return Optional.of(TensorIndex.parse(Files.readString(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            try {
                Files.deleteIfExists(file); // unreadable or damaged: the next full load writes it again
            } catch (IOException ignored) {
                // best effort
            }
            return Optional.empty();
        }
    }

    /** Stores {@code index} under {@code key}, replacing any (atomically). */
    public void writeIndex(String key, TensorIndex index) throws IOException {
        writeAtomically(indexFile(key), index.format());
    }

    private Path indexFile(String key) {
        if (!NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("an index key must be a lowercase hex SHA-256: " + key);
        }
        return root.resolve(INDEXES).resolve(key);
    }

    /**
     * Publishes {@code bytes} and maps the file copy-on-write.
     *
     * @throws IOException when it cannot be written or mapped
     */
    public MappedTensor map(ByteBuffer bytes) throws IOException {
        String sha = sha256(bytes);
        Path file = publish(sha, bytes);
        return mapFile(sha, file, bytes.remaining());
    }

    private static MappedTensor mapFile(String sha, Path file, long size) throws IOException {
        // PRIVATE needs a channel open for reading and writing; nothing is ever written through it.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MappedByteBuffer mapped = channel.map(MapMode.PRIVATE, 0, size);
            return new MappedTensor(sha, file, mapped.order(ByteOrder.nativeOrder()));
        } catch (NoSuchFileException e) {
            throw e;
        } catch (FileSystemException e) {
            // A read-only view of the store (a read-only mount, or files of another user): libc can still
            // map a read-only descriptor copy-on-write, which Java's FileChannel refuses.
            return new MappedTensor(sha, file, CopyOnWriteMapping.map(file, size));
        }
    }

    /** {@link #map}, or empty with a warning to {@code warnings} when the store cannot take it (e.g. a full disk). */
    public Optional<MappedTensor> tryMap(ByteBuffer bytes, Consumer<String> warnings) {
        try {
            return Optional.of(map(bytes));
        } catch (IOException | java.io.UncheckedIOException e) {
            warnings.accept("tensor store " + root + " cannot take a tensor of " + bytes.remaining() + " bytes ("
                    + e.getMessage() + "); it is loaded into private memory instead");
            return Optional.empty();
        }
    }

    /** One tensor file of the store. */
    public record StoredTensor(String sha256, long size, Instant modified) {}

    /** Every tensor file (named by a hash) in the store now. */
    public List<StoredTensor> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<StoredTensor> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                String name = p.getFileName().toString();
                if (NAME.matcher(name).matches()) {
                    try {
                        out.add(new StoredTensor(
                                name,
                                Files.size(p),
                                Files.getLastModifiedTime(p).toInstant()));
                    } catch (NoSuchFileException e) {
                        // removed meanwhile
                    }
                }
            }
        }
        return out;
    }

    /** The tensors (files named by a hash) in the store and their total size. */
    public Stats stats() throws IOException {
        List<StoredTensor> all = list();
        return new Stats(all.size(), all.stream().mapToLong(StoredTensor::size).sum());
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
