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
 * <p>With {@code --factory docker} the containers are Docker containers of the runtime-proxy image made by
 * {@link DockerContainerFactory} as the invoker makes them: sharing on means the store on a read-only
 * bind mount, published by the factory before {@code /init}; the memory is read the same way, through
 * each container's host pid. {@code --sets resnet50} measures only ResNet-50.
 *
 * <p>Usage: {@code bench/tensor-sharing [--runs 3] [--max 8] [--factory process|docker] [--sets resnet50,ft-pair]};
 * {@code JAVA_OPTS=-Dbench.flags="..."} adds JVM flags to every (process) container.
 */
public final class TensorSharingBench {
    private static final int MEMORY_MB = 1024;

    private TensorSharingBench() {}

    record Bundle(String name, Path dir, String digest) {}

    record Point(long totalBytes, List<Long> loadMs) {}

    public static void main(String[] args) throws Exception {
        int runs = intArg(args, "--runs", 3);
        int max = intArg(args, "--max", 8);
        boolean docker = "docker".equals(stringArg(args, "--factory", "process"));
        List<String> chosen =
                List.of(stringArg(args, "--sets", "resnet50,ft-pair").split(","));
        System.out.printf(Locale.ROOT, "containers: %s%n", docker ? "Docker (" + DOCKER_IMAGE + ")" : "processes");
        Path work = Files.createTempDirectory("hearth-tensor-bench");
        Bundle resnet50 = extract(work, "resnet50", DemoModels.resnet50(work));
        List<Path> pair = DemoModels.fineTunedPair(work);
        Bundle a = extract(work, "ft-a", pair.get(0));
        Bundle b = extract(work, "ft-b", pair.get(1));
        List<Integer> ns = new ArrayList<>();
        for (int n = 1; n <= max; n *= 2) {
            ns.add(n);
        }
        Map<String, List<Bundle>> sets = Map.of("resnet50", List.of(resnet50), "ft-pair", List.of(a, b));
        List<Long> privateLoads = new ArrayList<>();
        List<Long> publishLoads = new ArrayList<>();
        List<Long> presentLoads = new ArrayList<>();
        for (String set : chosen) {
            System.out.printf(Locale.ROOT, "%n%s, %d MB containers, medians of %d runs (MiB)%n", set, MEMORY_MB, runs);
            System.out.printf(Locale.ROOT, "%4s %14s %14s %8s%n", "N", "sharing off", "sharing on", "on/off");
            long[][] off = new long[ns.size()][runs];
            long[][] on = new long[ns.size()][runs];
            for (int run = 0; run < runs; run++) {
                Path store = Path.of(
                        "/dev/shm/hearth-bench-" + ProcessHandle.current().pid() + "-" + run);
                for (int i = 0; i < ns.size(); i++) {
                    Point p = measure(work, null, sets.get(set), ns.get(i), docker);
                    off[i][run] = p.totalBytes();
                    if (set.equals("resnet50")) {
                        privateLoads.addAll(p.loadMs());
                    }
                    Point q = measure(work, store, sets.get(set), ns.get(i), docker);
                    on[i][run] = q.totalBytes();
                    if (set.equals("resnet50")) {
                        if (i == 0) { // the store was empty: the first load published every tensor
                            publishLoads.add(q.loadMs().get(0));
                        } else {
                            presentLoads.addAll(q.loadMs());
                        }
                    }
                }
                deleteTree(store);
            }
            for (int i = 0; i < ns.size(); i++) {
                double offMb = median(off[i]) / 1048576.0;
                double onMb = median(on[i]) / 1048576.0;
                System.out.printf(Locale.ROOT, "%4d %14.0f %14.0f %8.2f%n", ns.get(i), offMb, onMb, onMb / offMb);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nResNet-50 model load (ms, median): from the bundle, sharing off (baseline) %d; "
                        + "first load into an empty store %d; all tensors present %d (%.2f of the baseline)%n",
                medianOf(privateLoads),
                medianOf(publishLoads),
                medianOf(presentLoads),
                (double) medianOf(presentLoads) / medianOf(privateLoads));
        deleteTree(work);
    }

    /** Starts n containers (cycling through {@code bundles}), inits them, measures, destroys them. */
    static Point measure(Path work, Path store, List<Bundle> bundles, int n, boolean docker) throws Exception {
        Path data = work.resolve("invoker-" + (store == null ? "off" : "on"));
        InvokerProperties props = new InvokerProperties(
                0,
                MEMORY_MB * 16,
                null,
                data,
                null,
                null,
                null,
                extraFlags(),
                work.resolve("djl-cache"),
                new InvokerProperties.Tensors(store != null, store, null, false),
                null,
                null,
                null,
                null);
        List<Container> containers = new ArrayList<>();
        List<Long> loads = new ArrayList<>();
        try (ContainerFactory factory = docker ? dockerFactory(work, store) : processFactory(props)) {
            try {
                for (int i = 0; i < n; i++) {
                    Bundle bundle = bundles.get(i % bundles.size());
                    Container c = factory.create("bench-" + i, MEMORY_MB, ContainerFactory.DJL_PYTORCH);
                    containers.add(c);
                    InitTimings t = c.init(
                            new InitRequest(
                                    bundle.name(),
                                    null,
                                    bundle.dir(),
                                    Map.of(),
                                    ContainerFactory.DJL_PYTORCH,
                                    bundle.digest()),
                            Duration.ofMinutes(2));
                    loads.add(t.modelLoadMs());
                }
                Thread.sleep(1500); // let lazily touched pages and JIT settle
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

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** {@code -Dbench.flags="-Xfoo -Xbar"}: extra JVM flags for the containers (to compare settings). */
    static InvokerProperties.Process extraFlags() {
        String flags = System.getProperty("bench.flags", "").trim();
        return new InvokerProperties.Process(
                null, null, flags.isEmpty() ? null : List.of(flags.split("\\s+")), null, null, null, null);
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
