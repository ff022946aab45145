package dev.hearth.invoker.container.process;

import dev.hearth.proxy.RuntimeProxy;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runtime proxies' cache of their own classes, one per JDK and proxy class path: named by a SHA-256
 * over the JDK, its version and the jars (paths, sizes, times), so a new build or JDK gets a new file
 * instead of a stale one the JVM would refuse. The factory's start-up warm-up ({@link EngineWarmUp}) is
 * the run that writes it, with a model proxy's flags, after initialising the PyTorch engine, so DJL's and
 * JNA's classes are in it. Two mechanisms, by the proxies' JDK:
 *
 * <ul>
 *   <li>{@link AotCache} (JDK 25+): an AOT cache (JEP 483, created in one run as JEP 514 allows): the
 *       classes loaded <em>and linked</em>, the module graph and the heap objects of the training run.
 *       The warm-up runs with {@code -XX:AOTCacheOutput} pointing at a temporary name; at its exit the JVM
 *       assembles the cache (in a child JVM, seconds), and the file is moved into place once complete. A
 *       proxy started before then runs on the JDK's default CDS archive: {@code -XX:AOTCache} is given
 *       only when the file exists (a missing one is an error line at every start). Session 34, a ResNet-18
 *       container from a new process to its first result: 0.91x the dynamic archive's time
 *       ({@code bench/proxy-class-cache}).
 *   <li>{@link DynamicArchive} (JDK 19–24): a dynamic AppCDS archive ({@code -XX:+AutoCreateSharedArchive})
 *       which every proxy maps and the first to exit normally writes. It sits on the JDK's base archive,
 *       which was dumped without {@code --enable-native-access}: with that flag (every proxy has it, for
 *       DJL) the JVM prints "Mismatched values for property jdk.module.enable.native.access" and gives up
 *       the archived module graph. The AOT cache is dumped with the flag and keeps it.
 *   <li>{@link None}: off, or the proxy runs from class directories (CDS needs jars).
 * </ul>
 */
sealed interface ProxyClassCache {

    /** The flags that pick the cache for a proxy started now (after {@code RuntimeProxy}'s recommended ones). */
    List<String> flags();

    /** Whether the warm-up must run (and exit normally) to write the cache: it does not exist yet. */
    boolean missing();

    /** The flags of the run that writes the cache (the warm-up). */
    default List<String> trainingFlags() {
        return flags();
    }

    /** After the training run ended: puts what it wrote in place; the file, when there is one now. */
    default Optional<Path> trained() {
        return Optional.empty();
    }

    /** No cache: the JDK's default CDS archive. */
    record None() implements ProxyClassCache {
        @Override
        public List<String> flags() {
            return RuntimeProxy.RECOMMENDED_JVM_FLAGS;
        }

        @Override
        public boolean missing() {
            return false;
        }
    }

    /** A dynamic AppCDS archive: the same flags for every proxy; the JVM maps it or writes it at exit. */
    record DynamicArchive(Path file) implements ProxyClassCache {
        @Override
        public List<String> flags() {
            return RuntimeProxy.jvmFlags(file);
        }

        @Override
        public boolean missing() {
            return !Files.exists(file);
        }

        @Override
        public Optional<Path> trained() {
            return Optional.of(file).filter(Files::exists);
        }
    }

    /** A JDK 25 AOT cache: used when it exists, written by the training run under {@code partial}, then moved. */
    record AotCache(Path file) implements ProxyClassCache {
        @Override
        public List<String> flags() {
            return Files.exists(file) ? RuntimeProxy.jvmFlagsWithAotCache(file) : RuntimeProxy.RECOMMENDED_JVM_FLAGS;
        }

        @Override
        public boolean missing() {
            return !Files.exists(file);
        }

        @Override
        public List<String> trainingFlags() {
            return RuntimeProxy.jvmFlagsRecordingAotCache(partial());
        }

        @Override
        public Optional<Path> trained() {
            Path partial = partial();
            try {
                if (Files.exists(partial)) {
                    Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.deleteIfExists(partial.resolveSibling(partial.getFileName() + ".config"));
            } catch (IOException e) {
                return Optional.empty();
            }
            return Optional.of(file).filter(Files::exists);
        }

        /** Where the training run writes (a proxy never maps a half-written cache). */
        Path partial() {
            return file.resolveSibling(file.getFileName() + ".partial");
        }
    }

    /**
     * The cache for proxies run by {@code java} from {@code classpath}, kept under {@code dataDir}: none when
     * {@code enabled} is false or the class path is not all jars; an AOT cache when the JDK is 25 or later
     * and {@code aot} is true; a dynamic archive otherwise.
     */
    static ProxyClassCache of(boolean enabled, boolean aot, Path dataDir, Path java, String classpath) {
        if (!enabled || !usable(classpath)) {
            return new None();
        }
        String version = javaVersion(java);
        boolean aotCache = aot && feature(version) >= 25;
        Path file = path(dataDir, java, version, classpath, aotCache ? ".aot" : ".jsa");
        return aotCache ? new AotCache(file) : new DynamicArchive(file);
    }

    /** CDS refuses class directories on the class path; it needs jars. */
    static boolean usable(String classpath) {
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                return false;
            }
        }
        return true;
    }

    /** {@code JAVA_VERSION} from the JDK's {@code release} file ({@code bin/java}'s grandparent), else "". */
    static String javaVersion(Path java) {
        Path release = java.toAbsolutePath().getParent().getParent().resolve("release");
        try {
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"").matcher(Files.readString(release));
            return m.find() ? m.group(1) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The feature release of a {@code JAVA_VERSION} ("25.0.1" → 25, "1.8.0_402" → 1, "" → 0). */
    static int feature(String version) {
        Matcher m = Pattern.compile("^(\\d+)").matcher(version);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static Path path(Path dataDir, Path java, String version, String classpath, String suffix) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<String> parts = new ArrayList<>(List.of(java.toAbsolutePath().toString(), version));
            for (String entry : classpath.split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                parts.addAll(List.of(
                        entry,
                        Long.toString(Files.size(jar)),
                        Files.getLastModifiedTime(jar).toString()));
            }
            parts.forEach(p -> sha.update((p + "\n").getBytes(StandardCharsets.UTF_8)));
            Path dir = Files.createDirectories(dataDir.resolve("proxy-cds"));
            return dir.resolve(HexFormat.of().formatHex(sha.digest()) + suffix);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("cannot name the proxy's class cache: " + e.getMessage(), e);
        }
    }
}
