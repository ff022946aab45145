package dev.hearth.bench;

import dev.hearth.testsupport.Scratch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lever on the container side, measured within one run: two runtime proxies of the same model, made as the
 * invoker makes them ({@link ModelLatencyBench.Alone}), one with the extra JVM flags {@code --a} and one with
 * {@code --b} (system properties too: {@code -Dhearth.proxy...}), and {@code predict} in a plain JVM of its own
 * ({@link PlainPredict}, the baseline), their {@code /run} called through the invoker's client. After 10 s
 * of warm-up the three series take turns in blocks of 25 calls, {@code --calls} each per run; each run's p50
 * is printed, then the median of the runs' p50s, B against A and each over {@code predict}. On this shared
 * machine a difference between runs says little; a difference within a run, repeated, says more.
 *
 * {@code --a-spin} and {@code --b-spin} set each container's {@code GOMP_SPINCOUNT} as
 * {@code hearth.invoker.cpu.gomp-spin-count} would (-1: libgomp's own); {@code predict} keeps this JVM's environment.
 * {@code --a-proxy} and {@code --b-proxy} name another build's {@code hearth-runtime-proxy} jar for that side's
 * container (its dependencies stay this build's): two versions of the proxy within one run.
 * {@code --a-store on} and {@code --b-store on} load that side's weights through a tensor store on shared memory
 * (mapped copy-on-write, as the invoker does by default) instead of into the container's own memory.
 *
 * <p>Usage: {@code bench/proxy-ab [--model resnet18] [--a "flags"] [--b "flags"] [--a-spin n] [--b-spin n] [--runs 5]
 * [--calls 400] [--overlap t1,t2] [--a-proxy jar] [--b-proxy jar] [--a-store on] [--b-store on]}; with {@code --overlap} the sides run two containers each at once (see
 * {@link #overlap}) and no {@code predict}.
 */
public final class ProxyAbBench {
    private static final int BLOCK = 25;

    private ProxyAbBench() {}

    public static void main(String[] args) throws Exception {
        String model = TensorSharingBench.stringArg(args, "--model", "resnet18");
        List<String> a = flags(TensorSharingBench.stringArg(args, "--a", ""));
        List<String> b = flags(TensorSharingBench.stringArg(args, "--b", ""));
        Integer spinA = spin(TensorSharingBench.stringArg(args, "--a-spin", ""));
        Integer spinB = spin(TensorSharingBench.stringArg(args, "--b-spin", ""));
        Path proxyA = jar(TensorSharingBench.stringArg(args, "--a-proxy", ""));
        Path proxyB = jar(TensorSharingBench.stringArg(args, "--b-proxy", ""));
        Path storeA = store(TensorSharingBench.stringArg(args, "--a-store", "off"), "a");
        Path storeB = store(TensorSharingBench.stringArg(args, "--b-store", "off"), "b");
        int runs = BenchHttp.intArg(args, "--runs", 5);
        int calls = BenchHttp.intArg(args, "--calls", 400);
        Path work = Scratch.dir("hearth-proxy-ab-bench");
        Path zip = ModelLatencyBench.bundle(work, model, "--model");
        String request = model.equals("mlp") ? ModelLatencyBench.tensorRequest() : ModelLatencyBench.imageRequest();
        String overlap = TensorSharingBench.stringArg(args, "--overlap", "");
        try {
            compare(
                    work,
                    model,
                    zip,
                    request,
                    new Side(a, spinA, proxyA, storeA),
                    new Side(b, spinB, proxyB, storeB),
                    overlap,
                    runs,
                    calls);
        } finally {
            for (Path store : Arrays.asList(storeA, storeB)) {
                if (store != null) {
                    TensorSharingBench.deleteTree(store);
                }
            }
        }
    }

    private static void compare(
            Path work, String model, Path zip, String request, Side sa, Side sb, String overlap, int runs, int calls)
            throws Exception {
        if (!overlap.isBlank()) {
            String[] t = overlap.split(",");
            overlap(
                    work,
                    model,
                    zip,
                    request,
                    sa,
                    sb,
                    runs,
                    calls,
                    Integer.parseInt(t[0].trim()),
                    Integer.parseInt(t[1].trim()));
            return;
        }
        System.out.printf(
                Locale.ROOT,
                "%s: container A %s (GOMP_SPINCOUNT %s, proxy %s, tensor store %s) against container B %s"
                        + " (GOMP_SPINCOUNT %s, proxy %s, tensor store %s), predict in a plain JVM the baseline;"
                        + " %d runs of %d calls, %d cores%n",
                model,
                sa.flags(),
                spinName(sa.spin()),
                proxyName(sa.proxyJar()),
                sa.store() == null ? "off" : "on",
                sb.flags(),
                spinName(sb.spin()),
                proxyName(sb.proxyJar()),
                sb.store() == null ? "off" : "on",
                runs,
                calls,
                Runtime.getRuntime().availableProcessors());
        Map<String, List<Double>> p50s = new LinkedHashMap<>();
        for (String k : List.of("A", "B", "predict", "A pass", "B pass", "predict pass")) {
            p50s.put(k, new ArrayList<>());
        }
        try (ModelLatencyBench.Alone ca = start(work, model + "-a", zip, request, sa);
                ModelLatencyBench.Alone cb = start(work, model + "-b", zip, request, sb);
                PlainPredict plain = PlainPredict.start(work, zip, request)) {
            long warmUntil = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                ca.call();
                cb.call();
                plain.timed(1);
            }
            ProcessCpu[] cpu = {new ProcessCpu(), new ProcessCpu(), new ProcessCpu()}; // A, B, predict
            for (int run = 0; run < runs; run++) {
                double[][] lat = new double[6][calls];
                for (int from = 0; from < calls; from += BLOCK) {
                    int n = Math.min(calls, from + BLOCK) - from;
                    // the order within a round alternates, so neither container always follows the baseline
                    ModelLatencyBench.Alone first = (from / BLOCK) % 2 == 0 ? ca : cb;
                    ModelLatencyBench.Alone second = first == ca ? cb : ca;
                    for (ModelLatencyBench.Alone c : List.of(first, second)) {
                        int series = c == ca ? 0 : 1;
                        cpu[series].begin();
                        for (int i = from; i < from + n; i++) {
                            double[] t = c.timed();
                            lat[series][i] = t[0];
                            lat[series + 3][i] = t[1];
                        }
                        cpu[series].end(n);
                    }
                    cpu[2].begin();
                    System.arraycopy(plain.timed(n), 0, lat[2], from, n);
                    System.arraycopy(plain.lastForward(), 0, lat[5], from, n);
                    cpu[2].end(n);
                }
                printRun(run, p50s, lat);
            }
            System.out.printf(
                    "CPU a call by process (ms), during A's blocks: %s%n    during B's: %s%n    during predict's: %s%n",
                    cpu[0].top(3), cpu[1].top(3), cpu[2].top(3));
        }
        double pa = Stats.median(p50s.get("A"));
        double pb = Stats.median(p50s.get("B"));
        double pp = Stats.median(p50s.get("predict"));
        System.out.printf(
                Locale.ROOT,
                "medians of %d runs' p50: A %.2f ms (%.2f over predict), B %.2f ms (%.2f over predict), predict %.2f;"
                        + " B - A %.2f ms (%.3fx); forward pass A %.2f, B %.2f, predict %.2f%n",
                runs,
                pa,
                pa - pp,
                pb,
                pb - pp,
                pp,
                pb - pa,
                pb / pa,
                Stats.median(p50s.get("A pass")),
                Stats.median(p50s.get("B pass")),
                Stats.median(p50s.get("predict pass")));
    }

    /**
     * One side's container settings: extra JVM flags, {@code GOMP_SPINCOUNT}, the proxy's jar (null: this build's)
     * and the tensor store its weights are loaded through (null: none, the container's own memory).
     */
    private record Side(List<String> flags, Integer spin, Path proxyJar, Path store) {}

    /**
     * {@code --overlap t1,t2}: two containers of each side computing at once, the first on {@code t1} intra-op
     * threads and the second on {@code t2} (what the invoker's split sends: 2,1 for a pass that started alone
     * and one that started beside it on 2 cores; 2,2 without the split). The sides take turns in blocks of
     * 25 calls per container, both containers of a side called back to back from a thread each.
     */
    private static void overlap(
            Path work, String model, Path zip, String request, Side a, Side b, int runs, int calls, int t1, int t2)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%s, two containers at once on %d and %d threads: side A %s (GOMP_SPINCOUNT %s) against side B %s"
                        + " (GOMP_SPINCOUNT %s); %d runs of %d calls each, %d cores%n",
                model,
                t1,
                t2,
                a.flags(),
                spinName(a.spin()),
                b.flags(),
                spinName(b.spin()),
                runs,
                calls,
                Runtime.getRuntime().availableProcessors());
        List<String> keys = List.of("A1", "A2", "B1", "B2");
        Map<String, List<Double>> p50s = new LinkedHashMap<>();
        keys.forEach(k -> p50s.put(k, new ArrayList<>()));
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (ModelLatencyBench.Alone a1 = start(work, model + "-a1", zip, request, a);
                ModelLatencyBench.Alone a2 = start(work, model + "-a2", zip, request, a);
                ModelLatencyBench.Alone b1 = start(work, model + "-b1", zip, request, b);
                ModelLatencyBench.Alone b2 = start(work, model + "-b2", zip, request, b)) {
            long warmUntil = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                together(two, a1, t1, a2, t2, 5);
                together(two, b1, t1, b2, t2, 5);
            }
            for (int run = 0; run < runs; run++) {
                double[][] lat = new double[keys.size()][calls];
                for (int from = 0; from < calls; from += BLOCK) {
                    int n = Math.min(calls, from + BLOCK) - from;
                    boolean aFirst = (from / BLOCK) % 2 == 0;
                    for (boolean sideA : aFirst ? List.of(true, false) : List.of(false, true)) {
                        double[][] r = sideA ? together(two, a1, t1, a2, t2, n) : together(two, b1, t1, b2, t2, n);
                        System.arraycopy(r[0], 0, lat[sideA ? 0 : 2], from, n);
                        System.arraycopy(r[1], 0, lat[sideA ? 1 : 3], from, n);
                    }
                }
                printRun(run, p50s, lat);
            }
        } finally {
            two.shutdownNow();
        }
        double ma1 = Stats.median(p50s.get("A1"));
        double ma2 = Stats.median(p50s.get("A2"));
        double mb1 = Stats.median(p50s.get("B1"));
        double mb2 = Stats.median(p50s.get("B2"));
        System.out.printf(
                Locale.ROOT,
                "medians of %d runs' p50: on %d threads A %.2f, B %.2f ms (%.3fx); on %d threads A %.2f, B %.2f ms"
                        + " (%.3fx)%n",
                runs,
                t1,
                ma1,
                mb1,
                mb1 / ma1,
                t2,
                ma2,
                mb2,
                mb2 / ma2);
    }

    /** Adds each series' p50 of this run ({@code lat} in the order of {@code p50s}' keys) and prints them. */
    private static void printRun(int run, Map<String, List<Double>> p50s, double[][] lat) {
        StringBuilder line = new StringBuilder("run " + (run + 1) + " p50 (ms):");
        int s = 0;
        for (Map.Entry<String, List<Double>> series : p50s.entrySet()) {
            double p = Stats.percentile(lat[s++], 50);
            series.getValue().add(p);
            line.append(String.format(Locale.ROOT, "  %s %.2f", series.getKey(), p));
        }
        System.out.println(line);
    }

    private static ModelLatencyBench.Alone start(Path work, String tag, Path zip, String request, Side side)
            throws Exception {
        return ModelLatencyBench.Alone.start(
                work, tag, zip, request, side.store(), false, side.flags(), side.spin(), side.proxyJar());
    }

    /** {@code n} calls on each of two containers at once, {@code first} on {@code t1} threads; their latencies. */
    private static double[][] together(
            java.util.concurrent.ExecutorService two,
            ModelLatencyBench.Alone first,
            int t1,
            ModelLatencyBench.Alone second,
            int t2,
            int n)
            throws Exception {
        java.util.concurrent.Future<double[]> f1 = two.submit(() -> series(first, t1, n));
        java.util.concurrent.Future<double[]> f2 = two.submit(() -> series(second, t2, n));
        return new double[][] {f1.get(), f2.get()};
    }

    private static double[] series(ModelLatencyBench.Alone c, int threads, int n) {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            ms[i] = c.timed(threads)[0];
        }
        return ms;
    }

    private static Path jar(String text) {
        if (text.isBlank()) {
            return null;
        }
        Path jar = Path.of(text.trim()).toAbsolutePath();
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no such proxy jar: " + jar);
        }
        return jar;
    }

    private static String proxyName(Path jar) {
        return jar == null ? "this build's" : jar.toString();
    }

    /** {@code on}: a fresh tensor store on shared memory for side {@code tag}; {@code off}: none. */
    private static Path store(String text, String tag) {
        return switch (text.trim()) {
            case "on" ->
                Path.of("/dev/shm/hearth-bench-" + ProcessHandle.current().pid() + "-ab-" + tag);
            case "off" -> null;
            default -> throw new IllegalArgumentException("--" + tag + "-store is on or off, not " + text);
        };
    }

    private static Integer spin(String text) {
        return text.isBlank() ? null : Integer.valueOf(text.trim());
    }

    private static String spinName(Integer spin) {
        return spin == null ? "the invoker's default" : spin == -1 ? "libgomp's own" : spin.toString();
    }

    private static List<String> flags(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }
}
