package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.intArg;

import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.docker.DockerContainerFactory;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.invoker.tensors.ProcessMemory;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.tensors.TensorStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Machine memory of N warm model containers with the tensor store on and off, in one run.
 *
 * <p>Containers are made exactly as the invoker makes them ({@link ProcessContainerFactory} with the
 * invoker's flags, heap sizing, cgroups and AppCDS; sharing on means {@code HEARTH_TENSOR_ROOT} on a
 * fresh store under /dev/shm), each given {@code /init} with the extracted bundle and its digest,
 * then left to settle. The machine's memory for them is
 * {@code Σ (PSS − PSS_shmem) over the container processes + the store's bytes}: every private page once,
 * every store page once (a store page's PSS shares are replaced by the page itself, mapped or not).
 * With sharing off the store is empty and PSS_shmem is ~0, so it is plain Σ PSS.
 *
 * <p>Sets: ResNet-50 (N copies of one bundle), and the fine-tuned ResNet-18 pair (N containers,
 * alternating A and B: they share everything but the head). Also model-load times reported by the
 * proxies: from the bundle with sharing off (the baseline), the first load through an empty store
 * (publishing), and loads whose tensors are all present (the index fast path).
 *
 * <p>Every container is pre-warmed ({@code /engine}) and left idle for 3 s ({@code -Dbench.settle-ms})
 * before its {@code /init}, as the invoker's stem cells are: the load times are those of a container
 * whose engine is up and whose JIT has finished what {@code /engine} gave it.
 *
 * <p>{@code --loads K} (default 5) adds K rounds of fresh ResNet-50 containers, one per variant per round
 * (interleaved, so the machine's load hits them alike), into a store that already holds every tensor:
 * sharing off (the baseline), sharing on as before this session's levers ({@code /engine} without the
 * load-path warm-up, the fast path with DJL's {@code initialize}), and sharing on as it is.
 *
 * <p>{@code --levers off} runs the memory sets with those levers off too (to see what they cost a
 * container's memory).
 *
 * <p>With {@code --factory docker} the containers are Docker containers of the runtime-proxy image made by
 * {@link DockerContainerFactory} as the invoker makes them: sharing on means the store on a read-only
 * bind mount, published by the factory before {@code /init}; the memory is read the same way, through
 * each container's host pid. {@code --sets resnet50} measures only ResNet-50. {@code --loads} always
 * uses process containers (the levers are JVM flags of the proxy).
 *
 * <p>A third column, "on, runtime merged", measures process containers with
 * {@code tensors.merge-runtime} (libtorch preloaded, ASLR off, pages offered to KSM) once ksmd has made
 * three full scans; it needs KSM, which the benchmark starts (root) at {@value Ksm#PAGES_TO_SCAN} pages
 * per wake-up and restores at exit. {@code --merge-runtime off} or no KSM leaves it out.
 * {@code --merge-latency K} times ResNet-50's {@code /run} in a merged container against a plain one.
 *
 * <p>Usage: {@code bench/tensor-sharing [--runs 3] [--max 8] [--min 1] [--factory process|docker]
 * [--sets resnet50,ft-pair] [--loads 5] [--levers on|off] [--merge-runtime on|off] [--merge-latency K]};
 * {@code JAVA_OPTS=-Dbench.flags="..."} adds
 * JVM flags to every process container.
 */
public final class TensorSharingBench {
    private static final int MEMORY_MB = 1024;
    /** How long pre-warmed containers idle before their {@code /init} ({@code -Dbench.settle-ms}). */
    private static final long SETTLE_MS = Long.getLong("bench.settle-ms", 3000);

    private TensorSharingBench() {}

    record Bundle(String name, Path dir, String digest) {}

    record Point(long totalBytes, List<Long> loadMs) {}

    /** The flags that turn this session's load levers off: no load-path warm-up, initialize on the fast path. */
    static final List<String> LEVERS_OFF =
            List.of("-Dhearth.proxy.warm-load-rounds=0", "-Dhearth.model.index-initialize=true");

    public static void main(String[] args) throws Exception {
        int runs = intArg(args, "--runs", 3);
        int max = intArg(args, "--max", 8);
        int min = intArg(args, "--min", 1);
        int loadRounds = intArg(args, "--loads", 5);
        boolean docker = "docker".equals(stringArg(args, "--factory", "process"));
        List<String> setFlags = stringArg(args, "--levers", "on").equals("off") ? LEVERS_OFF : List.of();
        boolean merge = !docker && !"off".equals(stringArg(args, "--merge-runtime", "on")) && Ksm.usable();
        List<String> setNames =
                List.of(stringArg(args, "--sets", "resnet50,ft-pair").split(","));
        System.out.printf(Locale.ROOT, "containers: %s%n", docker ? "Docker (" + DOCKER_IMAGE + ")" : "processes");
        Path work = Files.createTempDirectory("hearth-tensor-bench");
        Bundle resnet50 = extract(work, "resnet50", DemoModels.resnet50(work));
        List<Path> pair = DemoModels.fineTunedPair(work);
        Bundle a = extract(work, "ft-a", pair.get(0));
        Bundle b = extract(work, "ft-b", pair.get(1));
        List<Integer> ns = new ArrayList<>();
        for (int n = min; n <= max; n *= 2) {
            ns.add(n);
        }
        Map<String, List<Bundle>> sets = Map.of("resnet50", List.of(resnet50), "ft-pair", List.of(a, b));
        List<Long> privateLoads = new ArrayList<>();
        List<Long> publishLoads = new ArrayList<>();
        List<Long> presentLoads = new ArrayList<>();
        for (String set : ns.isEmpty() ? List.<String>of() : setNames) {
            System.out.printf(Locale.ROOT, "%n%s, %d MB containers, medians of %d runs (MiB)%n", set, MEMORY_MB, runs);
            System.out.printf(
                    Locale.ROOT,
                    "%4s %14s %14s %8s %16s %8s%n",
                    "N",
                    "sharing off",
                    "sharing on",
                    "on/off",
                    "on, runtime merged",
                    "/off");
            long[][] off = new long[ns.size()][runs];
            long[][] on = new long[ns.size()][runs];
            long[][] merged = new long[ns.size()][runs];
            for (int run = 0; run < runs; run++) {
                Path store = Path.of(
                        "/dev/shm/hearth-bench-" + ProcessHandle.current().pid() + "-" + run);
                for (int i = 0; i < ns.size(); i++) {
                    Point p = measure(work, null, sets.get(set), ns.get(i), setFlags, docker);
                    off[i][run] = p.totalBytes();
                    if (set.equals("resnet50")) {
                        privateLoads.addAll(p.loadMs());
                    }
                    Point q = measure(work, store, sets.get(set), ns.get(i), setFlags, docker);
                    on[i][run] = q.totalBytes();
                    if (set.equals("resnet50")) {
                        if (i == 0 && ns.get(0) == 1) { // the store was empty: the first load published every tensor
                            publishLoads.add(q.loadMs().get(0));
                        } else {
                            presentLoads.addAll(q.loadMs());
                        }
                    }
                    merged[i][run] = merge
                            ? measure(work, store, sets.get(set), ns.get(i), setFlags, false, true)
                                    .totalBytes()
                            : -1;
                }
                deleteTree(store);
            }
            for (int i = 0; i < ns.size(); i++) {
                double offMb = median(off[i]) / 1048576.0;
                double onMb = median(on[i]) / 1048576.0;
                double mergedMb = median(merged[i]) / 1048576.0;
                System.out.printf(
                        Locale.ROOT,
                        "%4d %14.0f %14.0f %8.2f %16s %8s%n",
                        ns.get(i),
                        offMb,
                        onMb,
                        onMb / offMb,
                        merge ? String.format(Locale.ROOT, "%.0f", mergedMb) : "-",
                        merge ? String.format(Locale.ROOT, "%.2f", mergedMb / offMb) : "-");
            }
        }
        if (!privateLoads.isEmpty()) {
            System.out.printf(
                    Locale.ROOT,
                    "%nResNet-50 model load (ms, median): from the bundle, sharing off (baseline) %d; "
                            + "first load into an empty store %d; all tensors present %d (%.2f of the baseline)%n",
                    medianOf(privateLoads),
                    medianOf(publishLoads),
                    medianOf(presentLoads),
                    (double) medianOf(presentLoads) / medianOf(privateLoads));
        }
        if (loadRounds > 0) {
            loads(work, resnet50, loadRounds);
        }
        int mergeCalls = intArg(args, "--merge-latency", 0);
        if (merge && mergeCalls > 0) {
            mergeLatency(work, mergeCalls);
        }
        deleteTree(work);
    }

    /** {@code --loads}: fresh pre-warmed containers, the variants interleaved, the store already full. */
    static void loads(Path work, Bundle bundle, int rounds) throws Exception {
        Path store = Path.of("/dev/shm/hearth-bench-" + ProcessHandle.current().pid() + "-loads");
        try {
            measure(work, store, List.of(bundle), 1, List.of(), false); // publishes every tensor and the index
            List<Long> off = new ArrayList<>();
            List<Long> before = new ArrayList<>();
            List<Long> now = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                off.addAll(measure(work, null, List.of(bundle), 1, List.of(), false)
                        .loadMs());
                before.addAll(measure(work, store, List.of(bundle), 1, LEVERS_OFF, false)
                        .loadMs());
                now.addAll(measure(work, store, List.of(bundle), 1, List.of(), false)
                        .loadMs());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nResNet-50 load in a fresh pre-warmed container, %d rounds (ms, median [min-max]):%n"
                            + "  from the bundle, sharing off (baseline)        %s%n"
                            + "  all tensors present, levers off (%s) %s%n"
                            + "  all tensors present                             %s  (%.2f of the baseline, %.2f of levers off)%n",
                    rounds,
                    spread(off),
                    String.join(" ", LEVERS_OFF),
                    spread(before),
                    spread(now),
                    (double) medianOf(now) / medianOf(off),
                    (double) medianOf(now) / medianOf(before));
        } finally {
            deleteTree(store);
        }
    }

    /**
     * {@code --merge-latency K}: ResNet-50 {@code /run} (an image) on containers sharing one store: one
     * plain (the baseline) and one of two with the runtime merged (measured once KSM has settled between
     * them), K calls each, interleaved.
     */
    static void mergeLatency(Path work, int calls) throws Exception {
        Path store = Path.of("/dev/shm/hearth-bench-" + ProcessHandle.current().pid() + "-latency");
        Path zip = DemoModels.resnet50(work);
        String image = ModelLatencyBench.imageRequest();
        try (ModelLatencyBench.Alone plain = ModelLatencyBench.Alone.start(work, "resnet50", zip, image, store, false);
                ModelLatencyBench.Alone merged =
                        ModelLatencyBench.Alone.start(work, "resnet50", zip, image, store, true);
                ModelLatencyBench.Alone twin = // the second merged container: pages merge between the two
                        ModelLatencyBench.Alone.start(work, "resnet50-twin", zip, image, store, true)) {
            for (int i = 0; i < 20; i++) { // warm them up
                plain.call();
                merged.call();
                twin.call();
            }
            Ksm.awaitSettled(List.of(
                    merged.container().pid().orElseThrow(),
                    twin.container().pid().orElseThrow()));
            double[] a = new double[calls];
            double[] b = new double[calls];
            for (int i = 0; i < calls; i++) {
                a[i] = plain.call();
                b[i] = merged.call();
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nResNet-50 /run, %d calls each, interleaved, p50 / p99 ms: sharing on %.1f / %.1f (baseline),"
                            + " runtime merged %.1f / %.1f (p50 %.2fx)%n",
                    calls,
                    Stats.percentile(a, 50),
                    Stats.percentile(a, 99),
                    Stats.percentile(b, 50),
                    Stats.percentile(b, 99),
                    Stats.percentile(b, 50) / Stats.percentile(a, 50));
        } finally {
            deleteTree(store);
        }
    }

    static String spread(List<Long> values) {
        return String.format(
                Locale.ROOT,
                "%d [%d-%d]",
                medianOf(values),
                values.stream().mapToLong(Long::longValue).min().orElse(-1),
                values.stream().mapToLong(Long::longValue).max().orElse(-1));
    }

    static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    /** Starts n containers (cycling through {@code bundles}), inits them, measures, destroys them. */
    static Point measure(Path work, Path store, List<Bundle> bundles, int n, List<String> flags, boolean docker)
            throws Exception {
        return measure(work, store, bundles, n, flags, docker, false);
    }

    /** {@code merge}: process containers with {@code tensors.merge-runtime} on; measured once KSM settles. */
    static Point measure(
            Path work, Path store, List<Bundle> bundles, int n, List<String> flags, boolean docker, boolean merge)
            throws Exception {
        InvokerProperties props =
                invokerProperties(work.resolve("invoker-" + (store == null ? "off" : "on")), store, flags, merge);
        List<Container> containers = new ArrayList<>();
        List<Long> loads = new ArrayList<>();
        try (ContainerFactory factory = docker ? dockerFactory(work, store) : processFactory(props)) {
            try {
                for (int i = 0; i < n; i++) {
                    Container c = factory.create("bench-" + i, MEMORY_MB, ContainerFactory.DJL_PYTORCH);
                    containers.add(c);
                    c.prewarm(ContainerFactory.DJL_PYTORCH); // /engine, as a stem cell has done
                }
                Thread.sleep(SETTLE_MS); // a stem cell idles before its /init: its JIT queue has drained
                for (int i = 0; i < n; i++) {
                    Bundle bundle = bundles.get(i % bundles.size());
                    InitTimings t = containers
                            .get(i)
                            .init(
                                    new InitRequest(
                                            bundle.name(),
                                            null,
                                            bundle.dir(),
                                            Map.of(),
                                            ContainerFactory.DJL_PYTORCH,
                                            bundle.digest()),
                                    Duration.ofMinutes(2));
                    loads.add(t.modelLoadMs());
                    if (store != null && t.storeDigests().isEmpty()) {
                        System.out.printf("warning: container %d mapped nothing from the store%n", i);
                    }
                }
                Thread.sleep(1500); // let lazily touched pages and JIT settle
                if (merge) {
                    Ksm.awaitSettled(pids(containers));
                }
                long total = 0;
                for (Container c : containers) {
                    ProcessMemory m = ProcessMemory.of(c.pid().orElseThrow()).orElseThrow();
                    total += m.pss() - m.pssShmem();
                }
                if (store != null) {
                    total += new TensorStore(store).stats().bytes();
                }
                return new Point(total, loads);
            } finally {
                containers.forEach(Container::destroy);
            }
        }
    }

    static List<Long> pids(List<Container> containers) {
        return containers.stream().map(c -> c.pid().orElseThrow()).toList();
    }

    /** An invoker's properties as the invoker would have them, for containers made outside one. */
    static InvokerProperties invokerProperties(Path data, Path store, List<String> flags, boolean merge) {
        return invokerProperties(data, store, flags, merge, null);
    }

    /** With {@code gompSpinCount} for the containers' libgomp ({@code null}: the invoker's default). */
    static InvokerProperties invokerProperties(
            Path data, Path store, List<String> flags, boolean merge, Integer gompSpinCount) {
        return invokerProperties(data, store, flags, merge, gompSpinCount, null);
    }

    /** With {@code proxyJar} in place of this build's runtime-proxy jar ({@code null}: this build's). */
    static InvokerProperties invokerProperties(
            Path data, Path store, List<String> flags, boolean merge, Integer gompSpinCount, Path proxyJar) {
        return new InvokerProperties(
                0,
                MEMORY_MB * 16,
                null,
                data,
                null,
                null,
                null,
                extraFlags(flags, proxyJar),
                data.getParent().resolve("djl-cache"),
                new InvokerProperties.Tensors(store != null, store, null, false, merge),
                null,
                null,
                null,
                null,
                new InvokerProperties.Cpu(null, null, null, gompSpinCount, null, null));
    }

    static final String DOCKER_IMAGE = "hearth/runtime-proxy:latest";

    static ContainerFactory processFactory(InvokerProperties props) throws Exception {
        ProcessContainerFactory factory =
                new ProcessContainerFactory(ProcessContainerFactory.settings(props), Clock.systemUTC());
        factory.warmUp().get();
        return factory;
    }

    /** As the invoker's Docker factory, with the bundles' directory as its (read-only) artifact cache. */
    static ContainerFactory dockerFactory(Path work, Path store) throws Exception {
        // createTempDirectory's rwx------ would hide the mounted bundles from the container's user
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return new DockerContainerFactory(
                new DockerContainerFactory.Settings(
                        "unix:///var/run/docker.sock",
                        DOCKER_IMAGE,
                        "bridge",
                        "bench-" + ProcessHandle.current().pid(),
                        Duration.ofSeconds(60),
                        512,
                        64,
                        true,
                        0,
                        work,
                        store,
                        Map.of()),
                Clock.systemUTC());
    }

    /** {@code -Dbench.flags="-Xfoo -Xbar"}: extra JVM flags for the containers (to compare settings). */
    static InvokerProperties.Process extraFlags(List<String> more) {
        return extraFlags(more, null);
    }

    /**
     * {@link #extraFlags(List)} with the containers' class path naming {@code proxyJar} instead of this build's
     * runtime-proxy jar (another build of the proxy, to compare within one run); {@code null}: this build's.
     */
    static InvokerProperties.Process extraFlags(List<String> more, Path proxyJar) {
        String flags = System.getProperty("bench.flags", "").trim();
        List<String> all = new ArrayList<>(flags.isEmpty() ? List.of() : List.of(flags.split("\\s+")));
        all.addAll(more);
        String classpath = null;
        if (proxyJar != null) {
            String ours =
                    new InvokerProperties.Process(null, null, null, null, null, null, null, null).proxyClasspath();
            List<String> entries = new ArrayList<>();
            boolean replaced = false;
            for (String entry : ours.split(java.io.File.pathSeparator)) {
                boolean proxy = Path.of(entry).getFileName().toString().startsWith("hearth-runtime-proxy");
                entries.add(proxy ? proxyJar.toAbsolutePath().toString() : entry);
                replaced |= proxy;
            }
            if (!replaced) {
                throw new IllegalStateException("no hearth-runtime-proxy jar in the proxy's class path " + ours);
            }
            classpath = String.join(java.io.File.pathSeparator, entries);
        }
        return new InvokerProperties.Process(null, classpath, all.isEmpty() ? null : all, null, null, null, null, null);
    }

    static Bundle extract(Path work, String name, Path zip) throws Exception {
        Path dir = work.resolve(name + ".d");
        ExtractedBundle.extractTo(zip, dir);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip));
        return new Bundle(name, dir, HexFormat.of().formatHex(hash));
    }

    static double median(long[] values) {
        long[] s = values.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    static long medianOf(List<Long> values) {
        if (values.isEmpty()) {
            return -1;
        }
        return Math.round(median(values.stream().mapToLong(Long::longValue).toArray()));
    }

    static void deleteTree(Path root) throws Exception {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
