package dev.hearth.model.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A bundle's files on local disk: a zip extracted into a fresh temporary directory (deleted again by
 * {@link #close()}), or a directory used in place (left alone). Extraction refuses entries that would
 * land outside the directory (zip slip: absolute names, {@code ..}), and links are never created.
 */
public final class ExtractedBundle implements AutoCloseable {

    /** Refuse bundles whose entries add up to more than this when extracted (a zip bomb guard). */
    static final long MAX_EXTRACTED_BYTES = 8L << 30;

    private final Path dir;
    private final boolean temporary;

    private ExtractedBundle(Path dir, boolean temporary) {
        this.dir = dir;
        this.temporary = temporary;
    }

    /** Opens a bundle zip (extracting it) or a bundle directory (used in place). */
    public static ExtractedBundle open(Path bundleZipOrDir) throws InvalidBundleException {
        if (Files.isDirectory(bundleZipOrDir)) {
            return new ExtractedBundle(bundleZipOrDir, false);
        }
        if (!Files.isRegularFile(bundleZipOrDir)) {
            throw new InvalidBundleException("the bundle " + bundleZipOrDir + " does not exist or is not a file");
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("hearth-bundle-");
        } catch (IOException e) {
            throw new InvalidBundleException(
                    "cannot create a directory to extract the bundle into: " + e.getMessage(), e);
        }
        ExtractedBundle bundle = new ExtractedBundle(dir, true);
        try {
            extract(bundleZipOrDir, dir);
            return bundle;
        } catch (InvalidBundleException | RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    /**
     * Extracts a bundle zip into {@code dir} (created if need be) with the same guards as {@link #open}:
     * for a caller that keeps extracted bundles, such as the invoker's cache (once per machine rather
     * than once per container).
     */
    public static void extractTo(Path zipPath, Path dir) throws InvalidBundleException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InvalidBundleException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        extract(zipPath, dir.toAbsolutePath().normalize());
    }

    private static void extract(Path zipPath, Path dir) throws InvalidBundleException {
        try (ZipFile zip = new ZipFile(zipPath.toFile())) {
            long total = 0;
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path target = safeTarget(dir, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    total += Files.copy(in, target);
                }
                if (total > MAX_EXTRACTED_BYTES) {
                    throw new InvalidBundleException(
                            "the bundle extracts to more than " + (MAX_EXTRACTED_BYTES >> 30) + " GiB");
                }
            }
        } catch (ZipException e) {
            throw new InvalidBundleException("the bundle is not a zip file (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new InvalidBundleException("cannot read the bundle zip: " + e.getMessage(), e);
        }
    }

    private static Path safeTarget(Path dir, String name) throws InvalidBundleException {
        Path relative = Path.of(name.replace('\\', '/')).normalize();
        Path target = dir.resolve(relative).normalize();
        if (relative.isAbsolute()
                || name.startsWith("/")
                || !target.startsWith(dir)
                || target.equals(dir)
                || relative.toString().startsWith("..")) {
            throw new InvalidBundleException("the bundle has an entry outside its root: '" + name + "'");
        }
        return target;
    }

    /** The directory holding {@code manifest.json} and the other files. */
    public Path dir() {
        return dir;
    }

    /**
     * A file the manifest names, which must be a plain relative name inside the bundle.
     *
     * @param what how the manifest calls it, for the message ("model file", "labels file")
     */
    public Path file(String what, String name) throws InvalidBundleException {
        Path relative = Path.of(name).normalize();
        Path path = dir.resolve(relative).normalize();
        if (relative.isAbsolute() || !path.startsWith(dir) || path.equals(dir)) {
            throw new InvalidBundleException(what + " '" + name + "' must be a relative path inside the bundle");
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidBundleException(what + " '" + name + "' named by the manifest is not in the bundle");
        }
        return path;
    }

    /** Deletes the extracted files (a directory bundle is left as it was). */
    @Override
    public void close() {
        if (temporary) {
            deleteTree(dir); // a temp directory left behind is not worth failing a deployment for
        }
    }

    /** Deletes {@code dir} and everything under it, best effort (what cannot be deleted stays). */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }
}
