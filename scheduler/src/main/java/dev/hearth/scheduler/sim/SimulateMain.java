package dev.hearth.scheduler.sim;

import dev.hearth.scheduler.policy.Policies;
import dev.hearth.scheduler.policy.Policy;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code bench/simulate}: every policy on every trace; prints the table and writes {@code results.md},
 * the traces as Azure CSV, and SVG charts to the output directory.
 *
 * <pre>
 * --out DIR              where to write (default bench/results/simulate)
 * --minutes N            length of the generated traces (default 120)
 * --seed N               trace and arrival seed (default 7)
 * --traces a,b           generated traces to run (default steady,diurnal,bursty,sparse,many)
 * --policies a,b         policies to run (default all)
 * --azure FILE           also run an Azure invocations CSV (invocations_per_function_md.anon.dNN.csv)
 * --azure-durations FILE its durations CSV (optional)
 * --azure-minutes N      minutes of it to run (default 120)
 * --azure-functions N    functions of it to run, first in hash order (default 50)
 * --no-tensor-store      weights private per container, loaded without the store
 * --threads N            runs in parallel (default 2)
 * </pre>
 */
public final class SimulateMain {
    static final String USAGE = """
            bench/simulate [options]: every policy on every trace; a table, ratios, SVG charts.
              --out DIR              where to write (default bench/results/simulate)
              --minutes N            length of the generated traces (default 120)
              --seed N               trace and arrival seed (default 7)
              --traces a,b           generated traces (default steady,diurnal,bursty,sparse,many)
              --policies a,b         policies (default all: openwhisk,aiad,oneshot,faro-sum,faro-fair,has-hybrid,hearth)
              --azure FILE           also run an Azure Functions 2019 invocations CSV
              --azure-durations FILE its durations CSV (optional; Average becomes the service time)
              --azure-minutes N      minutes of it to run (default 120)
              --azure-functions N    functions of it to run, first in hash order (default 50)
              --no-tensor-store      weights private per container, loaded without the store
              --threads N            runs in parallel (default 2)""";

    private SimulateMain() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of("bench/results/simulate");
        int minutes = 120;
        long seed = 7;
        List<String> traceNames = TraceGenerator.NAMES;
        List<String> policyNames = Policies.names();
        Path azure = null;
        Path durations = null;
        int azureMinutes = 120;
        int azureFunctions = 50;
        boolean store = true;
        int threads = 2;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    System.out.println(USAGE);
                    return;
                }
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--minutes" -> minutes = Integer.parseInt(value(args, ++i, a));
                case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                case "--traces" -> traceNames = List.of(value(args, ++i, a).split(","));
                case "--policies" -> policyNames = List.of(value(args, ++i, a).split(","));
                case "--azure" -> azure = Path.of(value(args, ++i, a));
                case "--azure-durations" -> durations = Path.of(value(args, ++i, a));
                case "--azure-minutes" -> azureMinutes = Integer.parseInt(value(args, ++i, a));
                case "--azure-functions" -> azureFunctions = Integer.parseInt(value(args, ++i, a));
                case "--no-tensor-store" -> store = false;
                case "--threads" -> threads = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a + " (see bench/simulate --help)");
            }
        }
        SimConfig base = SimConfig.standard(store);
        SimConfig config = new SimConfig(
                base.invokers(),
                base.memoryMb(),
                base.cores(),
                base.intervalMs(),
                base.historyWindows(),
                base.tensorStore(),
                seed);
        List<Policy> policies = policyNames.stream().map(Policies::byName).toList();
        List<Trace> traces = new ArrayList<>();
        for (String n : traceNames) {
            traces.add(TraceGenerator.generate(n, minutes, seed));
        }
        if (azure != null) {
            try (Reader inv = Files.newBufferedReader(azure);
                    Reader dur = durations == null ? null : Files.newBufferedReader(durations)) {
                traces.add(AzureTraceCsv.read("azure", inv, dur, azureMinutes, azureFunctions));
            }
        }
        Files.createDirectories(out.resolve("traces"));
        for (Trace t : traces) {
            try (Writer w = Files.newBufferedWriter(out.resolve("traces/" + t.name() + ".invocations.csv"));
                    Writer d = Files.newBufferedWriter(out.resolve("traces/" + t.name() + ".durations.csv"))) {
                AzureTraceCsv.write(t, w);
                AzureTraceCsv.writeDurations(t, d);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "simulating %d policies on %d traces (%d invokers x %.0f cores x %.0f GB, tensor store %s)%n",
                policies.size(),
                traces.size(),
                config.invokers(),
                config.cores(),
                config.memoryMb() / 1000,
                store ? "on" : "off");
        long started = System.nanoTime();
        List<RunResult> results = run(config, traces, policies, threads);
        String md = "# bench/simulate\n\n"
                + describe(config, traces)
                + "\n## Results\n\n"
                + Report.table(results)
                + "\n## Hearth against each baseline\n\n"
                + Report.ratios(results)
                + "\n## Charts\n\n"
                + charts(traces);
        Files.writeString(out.resolve("results.md"), md);
        SvgCharts.writeAll(results, out);
        System.out.println(Report.table(results));
        System.out.println(Report.ratios(results));
        System.out.printf(
                Locale.ROOT,
                "%d runs in %.1f s; wrote %s%n",
                results.size(),
                (System.nanoTime() - started) / 1e9,
                out.resolve("results.md"));
    }

    private static List<RunResult> run(SimConfig config, List<Trace> traces, List<Policy> policies, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (Trace t : traces) {
                Arrivals arrivals = Arrivals.of(t, config.seed());
                for (Policy p : policies) {
                    futures.add(pool.submit(() -> new Simulator(config, t, arrivals, p).run()));
                }
            }
            List<RunResult> results = new ArrayList<>();
            for (Future<RunResult> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }

    private static String describe(SimConfig c, List<Trace> traces) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "Cluster: %d invokers x %.0f cores x %.0f GB; policy interval %d s; history %d windows;"
                        + " tensor store %s; seed %d. Cost = core-seconds reserved by warm containers +"
                        + " 0.11 x GB-seconds held by all containers, in core-equivalent hours.%n%n",
                c.invokers(),
                c.cores(),
                c.memoryMb() / 1000,
                c.intervalMs() / 1000,
                c.historyWindows(),
                c.tensorStore() ? "on" : "off",
                c.seed()));
        sb.append("| trace | minutes | functions | requests |\n|---|---:|---:|---:|\n");
        for (Trace t : traces) {
            sb.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %d | %d |%n",
                    t.name(),
                    t.minutes(),
                    t.functions().size(),
                    t.invocations()));
        }
        return sb.toString();
    }

    private static String charts(List<Trace> traces) {
        StringBuilder sb = new StringBuilder();
        for (Trace t : traces) {
            sb.append("### ").append(t.name()).append("\n\n");
            for (String kind : List.of("front", "latency", "replicas")) {
                sb.append("![")
                        .append(t.name())
                        .append(' ')
                        .append(kind)
                        .append("](")
                        .append(t.name());
                sb.append('-').append(kind).append(".svg)\n");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
