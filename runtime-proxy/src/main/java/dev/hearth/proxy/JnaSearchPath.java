package dev.hearth.proxy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * JNA's platform library path, set before JNA's first use so that loading JNA spawns no
 * {@code /sbin/ldconfig -p}.
 *
 * <p>Unless {@value #PROPERTY} is set, JNA's {@code NativeLibrary} builds it when the class initialises,
 * and on Linux it runs {@code ldconfig -p} for the directories the dynamic loader knows: a child process
 * (and the JDK's process-reaper thread) on the start-up path of every model container, since the first
 * JNA use comes early (page merging at start, libtorch's log level at the engine's start, the tensor
 * store's copy-on-write mappings). JNA's first use (loading libc and calling one function, in a fresh JVM,
 * 6 runs each, session 28) took 115–156 ms (median 127) without the property and 82–117 ms (median 92) with
 * it: ~35 ms of every model container's cold start; {@code ldconfig -p} alone takes 20–40 ms on a busy
 * machine. The proxy never looks a library up by bare name: libc comes from the process itself (JNA opens
 * {@code "c"} that way on Linux), the rest by absolute path. So the directories JNA would put first are
 * enough, and the loader's own search still applies behind them.
 */
final class JnaSearchPath {
    static final String PROPERTY = "jna.platform.library.path";

    private JnaSearchPath() {}

    /** Sets {@value #PROPERTY} to {@link #standardDirs} unless the JVM's flags already set it. */
    static void setUnlessGiven() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, standardDirs(System.getProperty("os.arch"), Files::isDirectory));
        }
    }

    /**
     * The directories JNA itself lists first on Linux for {@code osArch} ({@code /usr/lib/<multiarch>},
     * {@code /lib/<multiarch>}, {@code /usr/lib64}, {@code /lib64}, {@code /usr/lib}, {@code /lib}), those
     * that are directories, joined with {@code :}.
     */
    static String standardDirs(String osArch, Predicate<Path> isDirectory) {
        List<String> candidates = new ArrayList<>();
        String multiArch = switch (osArch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            default -> null;
        };
        if (multiArch != null) {
            candidates.add("/usr/lib/" + multiArch);
            candidates.add("/lib/" + multiArch);
        }
        candidates.addAll(List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib"));
        List<String> dirs = new ArrayList<>();
        for (String c : candidates) {
            if (isDirectory.test(Path.of(c))) {
                dirs.add(c);
            }
        }
        return String.join(":", dirs);
    }
}
