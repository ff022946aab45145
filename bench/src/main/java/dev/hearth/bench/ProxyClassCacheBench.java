package dev.hearth.bench;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.testsupport.Scratch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A model container's cold start from a new process, made as the invoker makes it ({@link ProcessContainerFactory},
 * no stem cell), with the proxies' class cache as the invoker had it before session 34 — a dynamic AppCDS archive
 * over the JDK's base archive (the baseline) — against JDK 25's AOT cache ({@code process.aot-cache}). Each side
 * has its own data directory and factory, whose start-up warm-up writes its cache; then they take turns, in
 * alternating order: spawn to READY, the engine ({@code /engine}), the model's {@code /init}, the first
 * {@code /run}; medians and ratios to the baseline.
 *
 * <p>Usage: {@code bench/proxy-class-cache [--model resnet18] [--runs 8]}.
 */
public final class ProxyClassCacheBench {
    private static final String[] PHASES = {"ready", "engine", "init", "first run", "total"};

    private ProxyClassCacheBench() {}

    public static void main(String[] args) throws Exception {
        String model = TensorSharingBench.stringArg(args, "--model", "resnet18");
        int runs = BenchHttp.intArg(args, "--runs", 8);
        Path work = Scratch.dir("hearth-class-cache-bench");
        Path zip = ModelLatencyBench.bundle(work, model, "--model");
        String request = model.equals("mlp") ? ModelLatencyBench.tensorRequest() : ModelLatencyBench.imageRequest();
        TensorSharingBench.Bundle bundle = TensorSharingBench.extract(work, model, zip);
        Map<String, ProcessContainerFactory> sides = new LinkedHashMap<>();
        sides.put("dynamic AppCDS archive (baseline)", factory(work.resolve("appcds"), false));
        sides.put("AOT cache", factory(work.resolve("aot"), true));
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        sides.keySet().forEach(k -> samples.put(k, new ArrayList<>()));
        try {
            for (ProcessContainerFactory f : sides.values()) {
                once(f, bundle, request, "warm-up"); // page cache
            }
            List<String> names = new ArrayList<>(sides.keySet());
            for (int i = 0; i < runs; i++) {
                for (int j = 0; j < names.size(); j++) {
                    String name = names.get((i + j) % names.size());
                    samples.get(name).add(once(sides.get(name), bundle, request, "r" + i));
                }
            }
        } finally {
            for (ProcessContainerFactory f : sides.values()) {
                f.close();
            }
        }
        System.out.printf(
                "%s cold start from a new process, by the proxies' class cache: medians of %d (ms), java %s, %d cores%n",
                model,
                runs,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        double[] baseline = medians(samples.values().iterator().next());
        samples.forEach((name, s) -> {
            double[] m = medians(s);
            StringBuilder line = new StringBuilder(String.format("  %-34s", name));
            for (int p = 0; p < PHASES.length; p++) {
                line.append(String.format("  %s %6.1f", PHASES[p], m[p]));
            }
            System.out.println(line
                    + String.format("  ratio to baseline %.2f", m[PHASES.length - 1] / baseline[PHASES.length - 1]));
        });
    }

    /** A factory as the invoker's, tensor store off, its class cache written (AOT: after the warm-up's exit). */
    private static ProcessContainerFactory factory(Path data, boolean aot) throws Exception {
        InvokerProperties props = new InvokerProperties(
                0,
                1024 * 16,
                null,
                data,
                null,
                null,
                null,
                new InvokerProperties.Process(null, null, null, null, null, null, null, aot),
                data.getParent().resolve("djl-cache"),
                new InvokerProperties.Tensors(false, null, null, false, false),
                null,
                null,
                null,
                null,
                null);
        ProcessContainerFactory factory =
                new ProcessContainerFactory(ProcessContainerFactory.settings(props), Clock.systemUTC());
        factory.warmUp().get();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (cacheFiles(data) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no class cache was written under " + data);
            }
            Thread.sleep(100);
        }
        return factory;
    }

    private static long cacheFiles(Path data) throws Exception {
        Path dir = data.resolve("proxy-cds");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(
                            f -> f.toString().endsWith(".aot") || f.toString().endsWith(".jsa"))
                    .count();
        }
    }

    /** One new container to its first result: each phase's ms and the total. */
    private static double[] once(ContainerFactory factory, TensorSharingBench.Bundle b, String request, String tag)
            throws Exception {
        long t0 = System.nanoTime();
        Container c =
                factory.create("cc-" + tag + "-" + System.nanoTime() % 100_000, 1024, ContainerFactory.DJL_PYTORCH);
        try {
            long t1 = System.nanoTime();
            c.prewarm(ContainerFactory.DJL_PYTORCH);
            long t2 = System.nanoTime();
            c.init(
                    new InitRequest(b.name(), null, b.dir(), Map.of(), ContainerFactory.DJL_PYTORCH, b.digest()),
                    Duration.ofMinutes(2));
            long t3 = System.nanoTime();
            RunResult r = c.run(
                    new RunRequest(RawJson.of(Json.tree(request)), "guest", "/guest/cc", "0", "0", 0, null, 0),
                    Duration.ofMinutes(1),
                    0);
            long t4 = System.nanoTime();
            if (!(r instanceof RunResult.Responded ok) || ok.status() != 200) {
                throw new IllegalStateException("the first /run failed: " + r);
            }
            return new double[] {ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t3, t4), ms(t0, t4)};
        } finally {
            c.destroy();
        }
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    private static double[] medians(List<double[]> s) {
        double[] m = new double[PHASES.length];
        for (int p = 0; p < PHASES.length; p++) {
            int phase = p;
            m[p] = Stats.median(s.stream().map(x -> x[phase]).toList());
        }
        return m;
    }
}
