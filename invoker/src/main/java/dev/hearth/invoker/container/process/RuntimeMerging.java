package dev.hearth.invoker.container.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a model container is started so the kernel can merge what model containers have in common
 * ({@code hearth.invoker.tensors.merge-runtime}).
 *
 * <h2>Why three parts</h2>
 * A model container's own memory after {@code /engine} (~99 MB PSS, measured on 8 containers) is mostly
 * libtorch's start-up: its static initialisers build the operator registry on the C heap. Those bytes
 * are the same in every container only if (1) they are allocated in the same order, which holds when
 * the libraries are loaded by the dynamic linker before the JVM starts a thread ({@code LD_PRELOAD} of
 * the DJL cache's {@code libgomp}, {@code libc10}, {@code libtorch_cpu}, {@code libtorch}; DJL's later
 * {@code System.load} of the same paths finds them loaded), and (2) at the same addresses, which needs
 * address randomisation off ({@code setarch -R}; the heap holds pointers). (3) The proxy then offers its
 * pages to KSM ({@code HEARTH_MERGE_PAGES=1}, see the proxy's {@code PageMerging}). Measured with 8 bare
 * proxies after {@code /engine}, MB PSS in total: 794 plain, 718 with (2) and (3), 562 with all three;
 * comparing two containers page by page, 24 MB identical with the preload against 1.8 MB without.
 *
 * <h2>Caveats</h2>
 * Model containers lose ASLR: an exploit of a memory bug in libtorch or the JVM knows their layout (as
 * apps forked from Android's zygote share one). Merging costs ksmd's CPU while it scans, and a write to a
 * merged page copies it back. When several PyTorch versions sit in the cache, or none, nothing is
 * preloaded (a second copy of libtorch in one process would be worse than none).
 */
public final class RuntimeMerging {
    private static final Logger log = LoggerFactory.getLogger(RuntimeMerging.class);
    /** The kernel's KSM switch. */
    public static final Path KSM_RUN = Path.of("/sys/kernel/mm/ksm/run");
    /**
     * The libraries to preload, in load order (each before those that need it), each as a test of a
     * file name: PyTorch's wheel ships libgomp under a hashed name ({@code libgomp-98b21ff3.so.1}).
     */
    private static final List<Predicate<String>> LIBRARIES = List.of(
            name -> name.startsWith("libgomp"), "libc10.so"::equals, "libtorch_cpu.so"::equals, "libtorch.so"::equals);

    private static final List<Path> SETARCH = List.of(Path.of("/usr/bin/setarch"), Path.of("/bin/setarch"));

    private RuntimeMerging() {}

    /** {@code setarch <machine> -R}, or nothing when this system has no setarch. */
    static List<String> launcher() {
        String machine = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        Optional<Path> setarch = SETARCH.stream().filter(Files::isExecutable).findFirst();
        if (machine == null || setarch.isEmpty()) {
            log.warn(
                    "no setarch for {}: model containers keep address randomisation and merge less",
                    System.getProperty("os.arch"));
            return List.of();
        }
        return List.of(setarch.get().toString(), machine, "-R");
    }

    /**
     * The {@code LD_PRELOAD} value for libtorch in DJL's cache ({@code <cache>/pytorch/<version>/}), or
     * empty when the cache holds no PyTorch natives or more than one version.
     */
    static Optional<String> preload(Path djlCacheDir) {
        Path pytorch = djlCacheDir.resolve("pytorch");
        List<Path> versions;
        try (Stream<Path> dirs = Files.list(pytorch)) {
            versions = dirs.filter(d -> Files.isRegularFile(d.resolve("libtorch_cpu.so")))
                    .toList();
        } catch (IOException e) {
            versions = List.of();
        }
        if (versions.size() != 1) {
            log.warn("{} PyTorch versions in {}: nothing preloaded", versions.size(), pytorch);
            return Optional.empty();
        }
        List<String> files = new ArrayList<>();
        try (Stream<Path> libs = Files.list(versions.get(0))) {
            List<Path> all = libs.sorted().toList();
            for (Predicate<String> library : LIBRARIES) {
                all.stream()
                        .filter(p -> library.test(p.getFileName().toString()))
                        .findFirst()
                        .ifPresent(p -> files.add(p.toAbsolutePath().toString()));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.of(String.join(":", files));
    }

    /**
     * Switches the kernel's same-page merging on ({@code /sys/kernel/mm/ksm/run} = 1) when it is off and
     * this process may; says why not otherwise. Returns whether it runs.
     */
    public static boolean startKsm(Path ksmRun) {
        try {
            if (!Files.exists(ksmRun)) {
                log.warn("this kernel has no KSM ({}): model containers' pages are not merged", ksmRun);
                return false;
            }
            if (Files.readString(ksmRun).trim().equals("1")) {
                return true;
            }
            Files.writeString(ksmRun, "1");
            log.info("switched the kernel's same-page merging on ({} = 1) for merge-runtime", ksmRun);
            return true;
        } catch (IOException | SecurityException e) {
            log.warn(
                    "KSM is off and cannot be switched on ({}): model containers' pages are not merged"
                            + " until root writes 1 to {}",
                    e.toString(),
                    ksmRun);
            return false;
        }
    }
}
