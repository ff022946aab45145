package dev.hearth.invoker.container.process;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where the runtime proxy's AppCDS archive lives: one per JDK and proxy class path, named by a
 * SHA-256 over both (and the jars' sizes and times), so a new build or JDK gets a new archive
 * instead of a stale one the JVM would refuse. The first proxy to exit normally writes it; later
 * ones map it. The JVM checks the archive itself and ignores one that does not match.
 */
final class AppCdsArchive {
    private static final String SHARED_ARCHIVE_FLAG = "-XX:SharedArchiveFile=";

    private AppCdsArchive() {}

    /** The archive named in JVM flags made by {@code RuntimeProxy.jvmFlags}, if any. */
    static java.util.Optional<Path> file(java.util.List<String> jvmFlags) {
        return jvmFlags.stream()
                .filter(f -> f.startsWith(SHARED_ARCHIVE_FLAG))
                .map(f -> Path.of(f.substring(SHARED_ARCHIVE_FLAG.length())))
                .findFirst();
    }

    /** AppCDS refuses class directories on the class path; it needs jars. */
    static boolean usable(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    static Path path(Path dataDir, Path java, String classpath) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(java.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            sha.update(System.getProperty("java.version").getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath.split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                sha.update(entry.getBytes(StandardCharsets.UTF_8));
                sha.update(Long.toString(Files.size(jar)).getBytes(StandardCharsets.UTF_8));
                sha.update(Files.getLastModifiedTime(jar).toString().getBytes(StandardCharsets.UTF_8));
            }
            Path dir = Files.createDirectories(dataDir.resolve("proxy-cds"));
            return dir.resolve(HexFormat.of().formatHex(sha.digest()) + ".jsa");
        } catch (NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("cannot name the proxy's AppCDS archive: " + e.getMessage(), e);
        }
    }
}
