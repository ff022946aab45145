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
 * <p>Usage: {@code bench/proxy-ab [--model resnet18] [--a "flags"] [--b "flags"] [--runs 5] [--calls 400]}
 */
public final class ProxyAbBench {
    private static final int BLOCK = 25;

    private ProxyAbBench() {}

    public static void main(String[] args) throws Exception {
        String model = TensorSharingBench.stringArg(args, "--model", "resnet18");
        List<String> a = flags(TensorSharingBench.stringArg(args, "--a", ""));
        List<String> b = flags(TensorSharingBench.stringArg(args, "--b", ""));
        int runs = BenchHttp.intArg(args, "--runs", 5);
        int calls = BenchHttp.intArg(args, "--calls", 400);
        Path work = Scratch.dir("hearth-proxy-ab-bench");
        Path zip = ModelLatencyBench.bundle(work, model, "--model");
        String request = model.equals("mlp") ? ModelLatencyBench.tensorRequest() : ModelLatencyBench.imageRequest();
        System.out.printf(
                Locale.ROOT,
                "%s: container A %s against container B %s, predict in a plain JVM the baseline; %d runs of %d"
                        + " calls, %d cores%n",
                model,
                a,
                b,
                runs,
                calls,
                Runtime.getRuntime().availableProcessors());
        Map<String, List<Double>> p50s = new LinkedHashMap<>();
        for (String k : List.of("A", "B", "predict", "A pass", "B pass")) {
            p50s.put(k, new ArrayList<>());
        }
        try (ModelLatencyBench.Alone ca =
                        ModelLatencyBench.Alone.start(work, model + "-a", zip, request, null, false, a);
                ModelLatencyBench.Alone cb =
                        ModelLatencyBench.Alone.start(work, model + "-b", zip, request, null, false, b);
                PlainPredict plain = PlainPredict.start(work, zip, request)) {
            long warmUntil = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                ca.call();
                cb.call();
                plain.timed(1);
            }
            for (int run = 0; run < runs; run++) {
                double[][] lat = new double[5][calls];
                for (int from = 0; from < calls; from += BLOCK) {
                    int n = Math.min(calls, from + BLOCK) - from;
                    // the order within a round alternates, so neither container always follows the baseline
                    ModelLatencyBench.Alone first = (from / BLOCK) % 2 == 0 ? ca : cb;
                    ModelLatencyBench.Alone second = first == ca ? cb : ca;
                    for (ModelLatencyBench.Alone c : List.of(first, second)) {
                        int series = c == ca ? 0 : 1;
                        for (int i = from; i < from + n; i++) {
                            double[] t = c.timed();
                            lat[series][i] = t[0];
                            lat[series + 3][i] = t[1];
                        }
                    }
                    System.arraycopy(plain.timed(n), 0, lat[2], from, n);
                }
                List<String> keys = new ArrayList<>(p50s.keySet());
                StringBuilder line = new StringBuilder("run " + (run + 1) + " p50 (ms):");
                for (int s = 0; s < keys.size(); s++) {
                    double p = Stats.percentile(lat[s], 50);
                    p50s.get(keys.get(s)).add(p);
                    line.append(String.format(Locale.ROOT, "  %s %.2f", keys.get(s), p));
                }
                System.out.println(line);
            }
        }
        double pa = Stats.median(p50s.get("A"));
        double pb = Stats.median(p50s.get("B"));
        double pp = Stats.median(p50s.get("predict"));
        System.out.printf(
                Locale.ROOT,
                "medians of %d runs' p50: A %.2f ms (%.2f over predict), B %.2f ms (%.2f over predict), predict %.2f;"
                        + " B - A %.2f ms (%.3fx); forward pass A %.2f, B %.2f%n",
                runs,
                pa,
                pa - pp,
                pb,
                pb - pp,
                pp,
                pb - pa,
                pb / pa,
                Stats.median(p50s.get("A pass")),
                Stats.median(p50s.get("B pass")));
    }

    private static List<String> flags(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.trim().split("\\s+"));
    }
}
