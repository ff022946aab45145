package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.annotation;
import static dev.hearth.bench.BenchHttp.check;
import static dev.hearth.bench.BenchHttp.intArg;
import static dev.hearth.bench.BenchHttp.send;

import dev.hearth.common.json.Json;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.standalone.Platform;
import dev.hearth.standalone.PlatformSettings;
import dev.hearth.testsupport.Scratch;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Replays a trace of model-function calls through the real stack four times, one platform each:
 * <ol>
 *   <li>keep-alive only without the tensor store (OpenWhisk's default as OpenWhisk has it: a container
 *       stays warm for the idle timeout, and a cold start loads the model from its bundle into private
 *       memory),</li>
 *   <li>keep-alive only, with the tensor store (a cold start maps weights already in the store),</li>
 *   <li>pre-warming only (three {@code djl:pytorch} stem cells with the runtime and engine up),</li>
 *   <li>pre-warming with pre-loading (the same stem cells, and the pre-loader putting models in them).</li>
 * </ol>
 * The trace is in the Azure Functions 2019 schema ({@code HashOwner,HashApp,HashFunction,Trigger,1..N}:
 * calls per minute); {@link TraceGenerator} makes one with a fixed seed (steady Poisson, periodic,
 * bursty and sparse functions), or {@code --trace file.csv} reads a user's (functions are mapped onto
 * the demo models in turn). Time is compressed: one trace minute lasts {@code --minute-seconds} real
 * seconds, and the keep-alive and the pre-load horizon (OpenWhisk's 10 minutes) shrink alike. Calls
 * within a minute are spread at seeded random offsets.
 *
 * <p>Per function and overall it prints counts of each start kind, mean and p99 latency (client side),
 * model-loading time summed over all starts, and memory·time sampled every 500 ms: reserved (each
 * container's memory limit) and the machine's (Σ PSS − shared-memory PSS of the containers, plus the
 * tensor store). Against each keep-alive set-up it prints, over the calls after each function's first
 * (which no set-up can know in advance), the model loading left on the calls' path, the sparse
 * functions' p99 and the memory·time ratios.
 *
 * <p>{@code --setups} picks set-ups by name, in order (keep-alive ones first: they are the baselines):
 * {@code openwhisk}, {@code keep-alive}, {@code prewarm}, {@code preload} (the default is these four), and
 * {@code preload-normal-priority}: pre-loading with stem cells at the normal CPU priority
 * ({@code hearth.invoker.preload.background=false}), to see what the background priority does, and
 * {@code preload-equal-cpu}: pre-loading without the rare-first CPU weight ({@code hearth.invoker.cpu.*},
 * on in {@code preload} only, its gap compressed like the keep-alive; {@code --rare-share} sets its weight,
 * default 10), to see what that weight does, and {@code preload-all-threads}: pre-loading without the split
 * of the cores ({@code hearth.invoker.cpu.split-threads}, on in {@code preload} only: every model computes
 * on a thread per core), {@code preload-gomp-default}: with libgomp's own spin at barriers
 * ({@code hearth.invoker.cpu.gomp-spin-count=-1}; the invoker's default in {@code preload} only),
 * {@code preload-spin-<n>}: with {@code GOMP_SPINCOUNT=n}, {@code preload-turns}:
 * model forward passes take turns ({@code hearth.invoker.cpu.pass-max-wait=2s}; 0, the invoker's default,
 * everywhere else), and {@code preload-no-trim}: without the proxies' idle C-heap trim.
 *
 * <p>{@code --merge-runtime on} runs the three set-ups with the tensor store with
 * {@code hearth.invoker.tensors.merge-runtime} too (the OpenWhisk baseline has no store, so never).
 *
 * <p>Usage: {@code bench/preload-replay [--minutes 60] [--minute-seconds 3] [--seed 7] [--trace f.csv]
 * [--merge-runtime off|on] [--setups openwhisk,keep-alive,prewarm,preload]}.
 */
public final class PreloadReplayBench {
    private static final int MEMORY_MB = 1024;
    private static final String SPIN_SETUP = "preload-spin-";
    private static final long SAMPLE_MS = 500;
    /** {@code hearth.invoker.cpu.rare-gap}'s default in trace minutes, compressed like the keep-alive. */
    private static final int RARE_GAP_MINUTES = 4;
    /** The first set-up, and the first baseline: what OpenWhisk does. */
    static final String OPENWHISK = "keep-alive only, no tensor store (OpenWhisk)";

    private PreloadReplayBench() {}

    /** A call of the trace; {@code first}: the function's first call (no platform has seen it yet). */
    record Call(String function, double atSeconds, boolean first) {}

    /**
     * One call's outcome; {@code atSeconds}: when the trace sent it; {@code durationMs}, {@code initMs},
     * {@code waitMs}: the activation's run time, container start/bind time and time before it got a
     * container (0 when the call failed), {@code forwardMs} its forward pass (the runtime's
     * {@code inferenceTime}, -1 when it reported none) and {@code threads} the threads it computed on (the
     * {@code cpuThreads} annotation, 0 when the invoker left them to the runtime) and {@code passWaitMs} how
     * long it waited for its turn to compute (the {@code passWait} annotation), to tell where a slow call's
     * time went.
     */
    record Result(
            String function,
            String startKind,
            double latencyMs,
            long modelLoadMs,
            boolean first,
            double atSeconds,
            long durationMs,
            long initMs,
            long waitMs,
            double forwardMs,
            int threads,
            long passWaitMs) {}

    /**
     * One set-up's results. {@code reservedMbSeconds}: the pool's memory (each container's limit) over
     * time; {@code machineMbSeconds}: what the machine actually held — Σ (PSS − shared-memory PSS) of the
     * container processes plus the tensor store's bytes, every private page once and every store page once.
     */
    record Run(String name, List<Result> results, double reservedMbSeconds, double machineMbSeconds) {}

    public static void main(String[] args) throws Exception {
        int minutes = intArg(args, "--minutes", 60);
        int minuteSeconds = intArg(args, "--minute-seconds", 3);
        long seed = intArg(args, "--seed", 7);
        Path work = Scratch.dir("hearth-replay");
        String csv = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--trace")) {
                csv = Files.readString(Path.of(args[i + 1]));
            }
        }
        if (csv == null) {
            csv = TraceGenerator.generate(minutes, seed);
            Files.writeString(work.resolve("trace.csv"), csv);
            System.out.println("generated trace (Azure Functions 2019 schema): " + work.resolve("trace.csv"));
        }
        Map<String, List<Integer>> perMinute = TraceGenerator.parse(csv);
        Map<String, Path> bundles = new LinkedHashMap<>();
        List<Path> models = List.of(
                DemoModels.resnet50(work),
                DemoModels.resnet18(work),
                DemoModels.fineTunedPair(work).get(0),
                DemoModels.fineTunedPair(work).get(1),
                DemoModels.mlp(work));
        int k = 0;
        for (String f : perMinute.keySet()) {
            bundles.put(f, models.get(k++ % models.size()));
        }
        List<Call> calls = schedule(perMinute, minuteSeconds, seed);
        System.out.printf(
                Locale.ROOT,
                "%d functions, %d calls over %d trace minutes (%d s each)%n",
                perMinute.size(),
                calls.size(),
                minutes,
                minuteSeconds);
        String image =
                "{\"image\":\"" + Base64.getEncoder().encodeToString(DemoModels.testImagePng(224, 224, 1)) + "\"}";
        String tensor = mlpRequest();
        Map<String, String> requests = new HashMap<>();
        bundles.forEach((f, b) -> requests.put(f, b.getFileName().toString().startsWith("mlp") ? tensor : image));

        int keepAliveSeconds = 10 * minuteSeconds;
        Map<String, Object> base = new HashMap<>(BenchHttp.UNTHROTTLED);
        base.put("hearth.invoker.idle-timeout", keepAliveSeconds + "s");
        base.put("hearth.invoker.preload.horizon", keepAliveSeconds + "s");
        base.put("hearth.invoker.preload.interval", "200ms");
        base.put("hearth.invoker.follow-scheduler", false); // fixed set-ups: the scheduler's targets would blur them
        // rare-first CPU weight: off in the baselines; its gap (4 minutes by default) shrinks with the trace
        base.put("hearth.invoker.cpu.rare-share", 1);
        base.put("hearth.invoker.cpu.rare-gap", RARE_GAP_MINUTES * minuteSeconds + "s");
        // the split of the cores between the activations running at once: off in the baselines (OpenWhisk
        // leaves libtorch its default, a thread per core in every container)
        base.put("hearth.invoker.cpu.split-threads", false);
        base.put("hearth.invoker.cpu.gomp-spin-count", -1); // and libgomp's own spin at barriers
        base.put("hearth.invoker.cpu.pass-max-wait", "0s"); // and model passes never wait for a turn
        // ksmd at 1000 pages per wake-up (restored at exit): at the kernel's 100 a scan of the replay's
        // containers takes longer than the compressed keep-alive lets them live
        boolean merge = "on".equals(TensorSharingBench.stringArg(args, "--merge-runtime", "off")) && Ksm.usable();
        base.put("hearth.invoker.tensors.merge-runtime", merge); // forced off where sharing is off
        String passLog = TensorSharingBench.stringArg(args, "--pass-log", "");
        List<String> proxyFlags = passLog.isEmpty() // every model container logs where its passes' time went
                ? List.of()
                : List.of("-Dhearth.proxy.pass-log=" + passLog);
        if (!proxyFlags.isEmpty()) {
            base.put("hearth.invoker.process.extra-jvm-flags", String.join(",", proxyFlags));
        }
        System.out.println("merge-runtime (set-ups with the tensor store): " + (merge ? "on" : "off"));
        Map<String, Object> stems = Map.of(
                "hearth.invoker.prewarm[0].kind",
                "djl:pytorch",
                "hearth.invoker.prewarm[0].memory-mb",
                MEMORY_MB,
                "hearth.invoker.prewarm[0].count",
                3);
        Map<String, Object> prewarm = with(base, stems);
        Map<String, Map.Entry<String, Map<String, Object>>> all = new LinkedHashMap<>();
        all.put(
                "openwhisk",
                Map.entry(
                        OPENWHISK,
                        with(
                                base,
                                Map.of(
                                        "hearth.invoker.preload.enabled",
                                        false,
                                        "hearth.invoker.tensors.sharing",
                                        false))));
        all.put(
                "keep-alive",
                Map.entry("keep-alive only", with(base, Map.of("hearth.invoker.preload.enabled", false))));
        all.put(
                "prewarm",
                Map.entry("pre-warming only", with(prewarm, Map.of("hearth.invoker.preload.enabled", false))));
        Map<String, Object> preload = with(
                prewarm,
                Map.of(
                        "hearth.invoker.preload.enabled",
                        true,
                        "hearth.invoker.cpu.rare-share",
                        TensorSharingBench.stringArg(args, "--rare-share", "10"),
                        "hearth.invoker.cpu.split-threads",
                        true,
                        "hearth.invoker.cpu.gomp-spin-count",
                        InvokerProperties.Cpu.defaultGompSpinCount(true)));
        all.put("preload", Map.entry("pre-warming + pre-loading", preload));
        all.put(
                "preload-normal-priority",
                Map.entry(
                        "pre-warming + pre-loading, stem cells at normal CPU priority",
                        with(preload, Map.of("hearth.invoker.preload.background", false))));
        all.put(
                "preload-equal-cpu",
                Map.entry(
                        "pre-warming + pre-loading, no rare-first CPU weight",
                        with(preload, Map.of("hearth.invoker.cpu.rare-share", 1))));
        all.put(
                "preload-all-threads",
                Map.entry(
                        "pre-warming + pre-loading, no split of the cores",
                        with(preload, Map.of("hearth.invoker.cpu.split-threads", false))));
        all.put(
                "preload-gomp-default",
                Map.entry(
                        "pre-warming + pre-loading, libgomp's default spin",
                        with(preload, Map.of("hearth.invoker.cpu.gomp-spin-count", -1))));
        all.put(
                "preload-turns",
                Map.entry(
                        "pre-warming + pre-loading, model passes take turns",
                        with(preload, Map.of("hearth.invoker.cpu.pass-max-wait", "2s"))));
        List<String> noTrim = new ArrayList<>(proxyFlags);
        noTrim.add("-Dhearth.proxy.heap-trim=false");
        all.put(
                "preload-no-trim",
                Map.entry(
                        "pre-warming + pre-loading, no idle C-heap trim",
                        with(preload, Map.of("hearth.invoker.process.extra-jvm-flags", String.join(",", noTrim)))));
        String chosen = TensorSharingBench.stringArg(args, "--setups", "openwhisk,keep-alive,prewarm,preload");
        List<Run> runs = new ArrayList<>();
        for (String key : chosen.split(",")) {
            Map.Entry<String, Map<String, Object>> setup =
                    key.trim().startsWith(SPIN_SETUP) ? spinSetup(preload, key.trim()) : all.get(key.trim());
            if (setup == null) {
                throw new IllegalArgumentException("--setups: " + key + " is not one of " + all.keySet());
            }
            runs.add(run(setup.getKey(), work, setup.getValue(), bundles, requests, calls));
        }
        report(runs, perMinute.keySet());
    }

    /** {@code preload-spin-<n>}: pre-loading with the containers' {@code GOMP_SPINCOUNT} at n. */
    private static Map.Entry<String, Map<String, Object>> spinSetup(Map<String, Object> preload, String key) {
        int spin = Integer.parseInt(key.substring(SPIN_SETUP.length()));
        return Map.entry(
                "pre-warming + pre-loading, GOMP_SPINCOUNT " + spin,
                with(preload, Map.of("hearth.invoker.cpu.gomp-spin-count", spin)));
    }

    static Map<String, Object> with(Map<String, Object> a, Map<String, Object> b) {
        Map<String, Object> out = new HashMap<>(a);
        out.putAll(b);
        return out;
    }

    /** Every call's real start time: a minute's calls at seeded uniform offsets within it. */
    static List<Call> schedule(Map<String, List<Integer>> perMinute, int minuteSeconds, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Call> calls = new ArrayList<>();
        perMinute.forEach((f, counts) -> {
            for (int m = 0; m < counts.size(); m++) {
                for (int c = 0; c < counts.get(m); c++) {
                    calls.add(new Call(f, (m + random.nextDouble()) * minuteSeconds, false));
                }
            }
        });
        calls.sort(java.util.Comparator.comparingDouble(Call::atSeconds));
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Call> marked = new ArrayList<>();
        for (Call c : calls) {
            marked.add(new Call(c.function(), c.atSeconds(), seen.add(c.function())));
        }
        return marked;
    }

    static Run run(
            String name,
            Path work,
            Map<String, Object> settings,
            Map<String, Path> bundles,
            Map<String, String> requests,
            List<Call> calls)
            throws Exception {
        System.out.println("\n== " + name);
        Path data = Files.createTempDirectory(work, "data-");
        try (Platform platform =
                Platform.start(PlatformSettings.ephemeral(data, settings).withInvokerMemoryMb(8192))) {
            String auth = "Basic "
                    + Base64.getEncoder().encodeToString(platform.guestKey().getBytes(StandardCharsets.UTF_8));
            String api = platform.apiHost() + "/api/v1/namespaces/_";
            for (Map.Entry<String, Path> b : bundles.entrySet()) {
                HttpResponse<String> up = BenchHttp.HTTP.send(
                        HttpRequest.newBuilder(URI.create(api + "/artifacts"))
                                .header("Authorization", auth)
                                .header("Content-Type", "application/octet-stream")
                                .POST(HttpRequest.BodyPublishers.ofFile(b.getValue()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                check(up, 201);
                String digest = Json.tree(up.body()).path("digest").asString();
                check(
                        send(
                                "PUT",
                                api + "/actions/" + b.getKey(),
                                auth,
                                "{\"exec\":{\"kind\":\"djl:pytorch\",\"digest\":\"" + digest
                                        + "\"},\"limits\":{\"memory\":" + MEMORY_MB + "}}"),
                        200);
            }
            Thread.sleep(5000); // stem cells up (engine initialised) before the trace starts
            String invoker = "http://127.0.0.1:" + platform.invokerPort() + "/invoker/containers";
            String tensors = "http://127.0.0.1:" + platform.invokerPort() + "/invoker/tensors";
            AtomicLong reservedMbMillis = new AtomicLong();
            AtomicLong machineMbMillis = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean sampling = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (sampling.get()) {
                    try {
                        JsonNode pool =
                                Json.tree(send("GET", invoker, null, null).body());
                        long used = 0;
                        for (JsonNode c : pool.path("containers")) {
                            used += c.path("memoryMb").asLong();
                        }
                        reservedMbMillis.addAndGet(used * SAMPLE_MS);
                        machineMbMillis.addAndGet(machineBytes(Json.tree(
                                        send("GET", tensors, null, null).body()))
                                * SAMPLE_MS
                                / (1024 * 1024));
                        Thread.sleep(SAMPLE_MS);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the platform is stopping
                    }
                }
            });
            ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
            List<Thread> inFlight = new ArrayList<>();
            long t0 = System.nanoTime();
            for (Call call : calls) {
                long due = t0 + (long) (call.atSeconds() * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                inFlight.add(Thread.ofVirtual().start(() -> {
                    long start = System.nanoTime();
                    HttpResponse<String> r = send(
                            "POST",
                            api + "/actions/" + call.function() + "?blocking=true",
                            auth,
                            requests.get(call.function()));
                    double ms = (System.nanoTime() - start) / 1e6;
                    JsonNode record = r.statusCode() == 200 ? Json.tree(r.body()) : null;
                    String kind = record == null
                            ? "error"
                            : annotation(record, "startKind").asString("?");
                    long load = record == null
                            ? 0
                            : annotation(record, "initBreakdown")
                                    .path("modelLoadMs")
                                    .asLong(0);
                    results.add(new Result(
                            call.function(),
                            kind,
                            ms,
                            load,
                            call.first(),
                            call.atSeconds(),
                            record == null ? 0 : record.path("duration").asLong(0),
                            record == null ? 0 : annotation(record, "initTime").asLong(0),
                            record == null ? 0 : annotation(record, "waitTime").asLong(0),
                            record == null
                                    ? -1
                                    : annotation(record, "inferenceTime").asDouble(-1),
                            record == null
                                    ? 0
                                    : annotation(record, "cpuThreads").asInt(0),
                            record == null ? 0 : annotation(record, "passWait").asLong(0)));
                }));
            }
            for (Thread t : inFlight) {
                t.join();
            }
            sampling.set(false);
            sampler.interrupt();
            sampler.join();
            return new Run(name, List.copyOf(results), reservedMbMillis.get() / 1000.0, machineMbMillis.get() / 1000.0);
        }
    }

    /** Σ (PSS − shared-memory PSS) of the containers plus the store, from {@code GET /invoker/tensors}. */
    static long machineBytes(JsonNode tensors) {
        long bytes = tensors.path("storedBytes").asLong();
        for (JsonNode c : tensors.path("containers")) {
            JsonNode m = c.path("memory");
            bytes += m.path("pssBytes").asLong() - m.path("pssShmemBytes").asLong();
        }
        return bytes;
    }

    static void report(List<Run> runs, java.util.Set<String> functions) {
        System.out.println();
        for (Run run : runs) {
            System.out.printf(
                    Locale.ROOT,
                    "== %s   memory·time: reserved %.0f MB·s, machine %.0f MB·s%n",
                    run.name(),
                    run.reservedMbSeconds(),
                    run.machineMbSeconds());
            System.out.printf(
                    Locale.ROOT,
                    "%-14s %6s %6s %9s %9s %6s %6s %9s %9s %11s%n",
                    "function",
                    "calls",
                    "warm",
                    "preloaded",
                    "prewarmed",
                    "cold",
                    "error",
                    "mean ms",
                    "p99 ms",
                    "load ms");
            for (String f : functions) {
                row(
                        f,
                        run.results().stream()
                                .filter(r -> r.function().equals(f))
                                .toList());
            }
            row("ALL", run.results());
        }
        List<Run> baselines =
                runs.stream().filter(r -> r.name().startsWith("keep-alive")).toList();
        for (Run keepAlive : baselines) {
            System.out.println();
            System.out.println("Against " + keepAlive.name() + ", calls after each function's first"
                    + " (a function's first call finds nothing of it anywhere, in every set-up):");
            for (Run run : runs.subList(baselines.size(), runs.size())) {
                compare(run, keepAlive, functions);
            }
        }
    }

    /** {@code run} against the baseline {@code keepAlive}: loading on the path, sparse p99s, memory·time. */
    static void compare(Run run, Run keepAlive, java.util.Set<String> functions) {
        System.out.println("  " + run.name() + ":");
        long load = loadMs(later(run.results()));
        long baseLoad = loadMs(later(keepAlive.results()));
        double less = 100.0 * (1 - (double) load / Math.max(1, baseLoad));
        System.out.printf(
                Locale.ROOT,
                "    model loading on the calls' path: %d vs %d ms (%.0f%% %s)%n",
                load,
                baseLoad,
                Math.abs(less),
                less >= 0 ? "less" : "more");
        for (String f : functions) {
            if (f.startsWith("sparse")) {
                double a = p99(later(keepAlive.results()), f);
                double c = p99(later(run.results()), f);
                System.out.printf(
                        Locale.ROOT,
                        "    p99 of %s: %.0f vs %.0f ms (%.1fx lower; with its first call %.0f vs %.0f)%n",
                        f,
                        c,
                        a,
                        a / c,
                        p99(run.results(), f),
                        p99(keepAlive.results(), f));
            }
        }
        for (String f : functions) {
            if (f.startsWith("sparse")) {
                slowest(run.results(), f);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "    memory·time: machine %.2fx, reserved %.2fx%n",
                run.machineMbSeconds() / keepAlive.machineMbSeconds(),
                run.reservedMbSeconds() / keepAlive.reservedMbSeconds());
    }

    /** The three slowest later calls of {@code f}: where their time went (p99 of a dozen calls is the worst). */
    static void slowest(List<Result> rs, String f) {
        System.out.printf(Locale.ROOT, "    slowest later calls of %s:", f);
        later(rs).stream()
                .filter(r -> r.function().equals(f))
                .sorted(java.util.Comparator.comparingDouble(Result::latencyMs).reversed())
                .limit(3)
                .forEach(r -> System.out.printf(
                        Locale.ROOT,
                        " [t=%.0fs %s %.0f ms: wait %d, init %d, load %d, run %d (turn %d, forward %.0f%s)]",
                        r.atSeconds(),
                        r.startKind(),
                        r.latencyMs(),
                        r.waitMs(),
                        r.initMs(),
                        r.modelLoadMs(),
                        r.durationMs(),
                        r.passWaitMs(),
                        r.forwardMs(),
                        r.threads() > 0 ? " on " + r.threads() : ""));
        System.out.println();
    }

    static List<Result> later(List<Result> rs) {
        return rs.stream().filter(r -> !r.first()).toList();
    }

    static void row(String f, List<Result> rs) {
        double[] lat = rs.stream().mapToDouble(Result::latencyMs).toArray();
        System.out.printf(
                Locale.ROOT,
                "%-14s %6d %6d %9d %9d %6d %6d %9.0f %9.0f %11d%n",
                f,
                rs.size(),
                count(rs, "warm"),
                count(rs, "preloaded"),
                count(rs, "prewarmed"),
                count(rs, "cold"),
                count(rs, "error"),
                lat.length == 0 ? 0 : java.util.Arrays.stream(lat).average().orElse(0),
                lat.length == 0 ? 0 : Stats.percentile(lat, 99),
                loadMs(rs));
    }

    static long count(List<Result> rs, String kind) {
        return rs.stream().filter(r -> r.startKind().equals(kind)).count();
    }

    static long loadMs(List<Result> rs) {
        return rs.stream().mapToLong(Result::modelLoadMs).sum();
    }

    static double p99(List<Result> rs, String f) {
        double[] lat = rs.stream()
                .filter(r -> r.function().equals(f))
                .mapToDouble(Result::latencyMs)
                .toArray();
        return lat.length == 0 ? 0 : Stats.percentile(lat, 99);
    }

    static String mlpRequest() {
        StringBuilder t =
                new StringBuilder("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784],\"dtype\":\"float32\",\"data\":[");
        for (int i = 0; i < 784; i++) {
            t.append(i == 0 ? "" : ",").append(i % 13 / 13.0);
        }
        return t.append("]}]}").toString();
    }
}
