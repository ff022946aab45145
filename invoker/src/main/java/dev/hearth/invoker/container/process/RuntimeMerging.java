package dev.hearth.invoker.container.process;

import dev.hearth.proxy.RuntimeProxy;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a model container is started so the kernel can merge what model containers have in common
 * ({@code hearth.invoker.tensors.merge-runtime}).
 *
 * <h2>Why four parts</h2>
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
 * (4) Of the heap pages that still differed, most differed only in stale stack canaries: each process
 * gets a random stack-protector canary at exec, functions write it into their frames, and copies of
 * stack objects carry it into the heap. So the factory also preloads, last, a shim of its own
 * ({@code native/hearth-stack-guard.c}, built here with the machine's C compiler) that sets the
 * canary to one random value per invoker ({@link RuntimeProxy#STACK_GUARD_ENV}) before libtorch's
 * initialisers run. Two merged ResNet-50 containers after {@code /init}: the C heap's private part fell
 * from 26 MB to 0.9 MB each (45 MB merged). Without a C compiler the shim is left out, with a warning.
 *
 * <h2>Caveats</h2>
 * Model containers lose ASLR: an exploit of a memory bug in libtorch or the JVM knows their layout (as
 * apps forked from Android's zygote share one). They share one stack canary: secret to the outside,
 * but code running in one model container can read its own, and with it know every other model
 * container's on the machine (an attack on another container's stack would still need a bug reachable
 * through that container's inputs). Merging costs ksmd's CPU while it scans, and a write to a
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
    private static final String SHIM_SOURCE = "/native/hearth-stack-guard.c";
    private static final List<String> COMPILERS = List.of("cc", "gcc", "clang");

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

    /** A new machine-wide stack canary, as hex: random, never zero, its low byte zero (as glibc makes one). */
    static String newStackGuard(RandomGenerator random) {
        long guard = 0;
        while (guard == 0) {
            guard = random.nextLong() & ~0xffL;
        }
        return Long.toHexString(guard);
    }

    /**
     * The stack-guard shim, built into {@code dir} from the invoker's C source with the first C compiler
     * on the {@code PATH} (once per source: the file name carries its digest), or empty when this is not
     * x86_64 Linux or no compiler builds it (logged: merged containers then merge ~25 MB less each).
     */
    static Optional<Path> stackGuardShim(Path dir) {
        String arch = System.getProperty("os.arch", "");
        if (!System.getProperty("os.name", "").equals("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            log.info(
                    "no stack-guard shim for {} {}: merged containers keep their own canaries",
                    System.getProperty("os.name"),
                    arch);
            return Optional.empty();
        }
        try (InputStream in = RuntimeMerging.class.getResourceAsStream(SHIM_SOURCE)) {
            byte[] source = Objects.requireNonNull(in, SHIM_SOURCE).readAllBytes();
            String digest = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(source));
            Path shim = dir.resolve("hearth-stack-guard-" + digest.substring(0, 16) + ".so");
            if (Files.isRegularFile(shim)) {
                return Optional.of(shim);
            }
            Optional<Path> compiler = onPath(COMPILERS);
            if (compiler.isEmpty()) {
                log.warn(
                        "no C compiler ({}) on the PATH to build the stack-guard shim: merged model containers"
                                + " keep their own stack canaries and merge ~25 MB less each",
                        COMPILERS);
                return Optional.empty();
            }
            Files.createDirectories(dir);
            Path src = Files.write(Files.createTempFile(dir, "hearth-stack-guard", ".c"), source);
            Path out = dir.resolve(src.getFileName() + ".so");
            try {
                Process cc = new ProcessBuilder(
                                compiler.get().toString(),
                                "-O2",
                                "-shared",
                                "-fPIC",
                                "-fno-stack-protector",
                                "-o",
                                out.toString(),
                                src.toString())
                        .redirectErrorStream(true)
                        .start();
                String output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!cc.waitFor(60, TimeUnit.SECONDS) || cc.exitValue() != 0) {
                    log.warn("{} could not build the stack-guard shim: {}", compiler.get(), output.strip());
                    return Optional.empty();
                }
                Files.move(out, shim, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                log.info("built the stack-guard shim for merged model containers: {}", shim);
                return Optional.of(shim);
            } finally {
                Files.deleteIfExists(src);
                Files.deleteIfExists(out);
            }
        } catch (IOException | NoSuchAlgorithmException e) {
            log.warn("cannot build the stack-guard shim: {}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The first of {@code names} found executable on the {@code PATH}. */
    static Optional<Path> onPath(List<String> names) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : names) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
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
