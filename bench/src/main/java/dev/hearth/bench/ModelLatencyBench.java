package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.annotation;
import static dev.hearth.bench.BenchHttp.check;
import static dev.hearth.bench.BenchHttp.intArg;
import static dev.hearth.bench.BenchHttp.post;
import static dev.hearth.bench.BenchHttp.send;

import com.google.gson.JsonParser;
import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.invoker.cpu.BackgroundThreads;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.standalone.Platform;
import dev.hearth.standalone.PlatformSettings;
import dev.hearth.testsupport.Scratch;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/**
 * Model actions through Hearth, for ResNet-18 and ResNet-50 (demo bundles, random weights):
 * <ul>
 *   <li>the cold-start breakdown, median of {@code --cold} cold starts (each a new action on the
 *       same uploaded bundle, so each gets a new container): container start, runtime start, engine
 *       init, model load, first inference, and the client's time to first result, also split by how
 *       the container came (every other cold start waits until the invoker has a model stem cell again,
 *       the others follow the previous one at once, as in a burst);</li>
 *   <li>warm inference latency through the gateway next to the baseline measured in the same run:
 *       the same bundle loaded by the same model host in a plain JVM of its own ({@link PlainPredict}, a
 *       child process), {@code predict} on the same request. Their difference is what the platform adds.
 *       Until session 25 the baseline was {@code predict} in this JVM, beside the platform's threads
 *       (still printed): it ran up to 2.9 ms slower than the container alone and 3.6–5.1 ms slower than
 *       {@code predict} in a plain JVM;</li>
 *   <li>where that difference goes: the same bundle in a container made as the invoker makes it, its
 *       {@code /run} called through the invoker's client with nothing else in between.</li>
 * </ul>
 * The four warm series are taken in interleaved blocks ({@link Warm}).
 * Before any of that the platform itself is warmed: {@code --platform-warm-up} calls (default 20000) of
 * the MLP through the gateway, printed in blocks of 2000 so the JIT's settling shows. A platform is a
 * long-running server; on this 2-core machine its gateway, controller and invoker take over ten thousand
 * calls to reach their compiled steady state (the first blocks run about twice as slow), and a warm
 * figure is a steady-state figure. The MLP's small requests leave the paths of a large body cold (the
 * gateway's reads of a body in several chunks, the controller's read and parse of a 164 KB string, the
 * {@code /run} that sends it on), so each model's series are measured twice: after 10 s of calls, and after
 * {@code --model-warm-up} more calls (default 15000; a list such as {@code 15000,1000} gives each model in
 * {@code --models} its own, the last repeated) through the gateway (printed as p50s of blocks of 500;
 * every fourth followed by one call of each baseline, so their JITs keep up).
 *
 * <p>Usage: {@code bench/model-latency [--cold 5] [--warm 200] [--platform-warm-up 20000] [--model-warm-up 15000[,1000]] [--models resnet18,resnet50,mlp] [--path kafka] [--stem-cells off] [--background-ab] [--gateway-ab] [--alone-store platform]}
 * ({@code --stem-cells off}: the invoker does not follow the scheduler's stem-cell targets, so every cold start
 * is a new container):
 * {@code --path kafka} sends blocking calls through Kafka instead of the direct path, to compare;
 * {@code --background-ab} also compares the platform's background threads at nice 10 against 0
 * ({@code hearth.invoker.cpu.background-nice}), in alternating blocks after the model's warm-up ({@link Ab});
 * {@code --gateway-ab} likewise compares the gateway's invocations over loopback HTTP to the controller, as
 * between processes, with the method call of one JVM; {@code --alone-store platform}
 * has the container alone map its weights from the platform's tensor store (by default it loads them into its
 * own memory), so that Hearth's container and it differ only by the platform around one.
 */
public final class ModelLatencyBench {
    /** Calls of one series in a row before the next series' turn. */
    private static final int BLOCK = 25;

    private static final String[] PHASES = {"containerStartMs", "runtimeStartMs", "engineInitMs", "modelLoadMs"};

    private ModelLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int cold = intArg(args, "--cold", 5);
        int warm = intArg(args, "--warm", 200);
        int platformWarmUp = intArg(args, "--platform-warm-up", 20_000);
        List<Integer> modelWarmUps = Arrays.stream(TensorSharingBench.stringArg(args, "--model-warm-up", "15000")
                        .split(","))
                .map(Integer::parseInt)
                .toList();
        Path work = Scratch.dir("hearth-model-bench");
        Map<String, Path> bundles = new LinkedHashMap<>();
        List<String> models = List.of(TensorSharingBench.stringArg(args, "--models", "resnet18,resnet50,mlp")
                .split(","));
        for (String m : models) {
            bundles.put(m, bundle(work, m, "--models"));
        }
        Path mlp = bundles.containsKey("mlp") ? bundles.get("mlp") : DemoModels.mlp(work);
        String image = imageRequest();
        String small = tensorRequest();
        System.out.printf(
                "Hearth model benchmark: %d cold starts and %d warm requests per model, %d cores%n",
                cold, warm, Runtime.getRuntime().availableProcessors());
        Map<String, Object> unthrottled = new java.util.HashMap<>(BenchHttp.UNTHROTTLED);
        boolean directPath = !java.util.Arrays.asList(args).contains("kafka");
        unthrottled.put("hearth.controller.direct.enabled", directPath);
        System.out.printf(
                "blocking calls %s%n",
                directPath
                        ? "over the direct path (controller and invoker share this JVM: a method call)"
                        : "through Kafka (--path kafka)");
        // The cold starts leave a container per deleted action; removed at the default 10 min they were
        // removed during the settled series, and the stem cell their memory made room for started beside
        // them (session 36: in both ResNet-50 runs). At 60 s they go during the model's warm-up.
        unthrottled.put("hearth.invoker.idle-timeout", "60s");
        if (System.getProperty("bench.flags") != null) {
            unthrottled.put("hearth.invoker.process.extra-jvm-flags", System.getProperty("bench.flags"));
        }
        if (Arrays.asList(args).contains("--background-ab")) {
            // the bench moves the platform's background threads itself, block by block (Ab)
            unthrottled.put("hearth.invoker.cpu.background-nice", 0);
            System.out.println("--background-ab: the platform's background threads alternate between nice "
                    + InvokerProperties.Cpu.BACKGROUND_NICE + " and 0 in blocks of " + Ab.BLOCK + " calls");
        }
        if (Arrays.asList(args).contains("--gateway-ab")) {
            System.out.println("--gateway-ab: the gateway's invocations alternate between loopback HTTP to the"
                    + " controller and a method call in blocks of " + Ab.BLOCK + " calls");
        }
        boolean aloneStore = "platform".equals(TensorSharingBench.stringArg(args, "--alone-store", "off"));
        if (aloneStore) {
            System.out.println(
                    "--alone-store platform: the container alone maps its weights from the platform's store");
        }
        if ("off".equals(TensorSharingBench.stringArg(args, "--stem-cells", "on"))) {
            // the scheduler's stem-cell targets are what keeps stem cells here: without them every cold
            // start is a new container (runtime, engine, model, first pass on its path)
            unthrottled.put("hearth.invoker.follow-scheduler", false);
            System.out.println("--stem-cells off: the invoker ignores the scheduler, so no stem cells");
        }
        List<String> summary = new ArrayList<>();
        try (Platform platform = Platform.start(
                PlatformSettings.ephemeral(work.resolve("data"), unthrottled).withInvokerMemoryMb(8192))) {
            String auth = guestAuth(platform);
            warmPlatform(platform, auth, mlp, small, platformWarmUp);
            int index = 0;
            for (Map.Entry<String, Path> b : bundles.entrySet()) {
                String request = b.getKey().equals("mlp") ? small : image;
                int modelWarmUp = modelWarmUps.get(Math.min(index++, modelWarmUps.size() - 1));
                summary.addAll(measure(
                        work,
                        platform,
                        auth,
                        b.getKey(),
                        b.getValue(),
                        request,
                        cold,
                        warm,
                        modelWarmUp,
                        switches(args, platform),
                        aloneStore));
            }
        }
        System.out.println();
        summary.forEach(System.out::println);
    }

    /** The switches {@code --background-ab} and {@code --gateway-ab} ask to compare, in that order. */
    private static List<Ab.Switch> switches(String[] args, Platform platform) {
        List<Ab.Switch> switches = new ArrayList<>();
        if (Arrays.asList(args).contains("--background-ab")) {
            switches.add(Ab.backgroundNice());
        }
        if (Arrays.asList(args).contains("--gateway-ab")) {
            switches.add(Ab.gatewayHttp(platform));
        }
        return switches;
    }

    /** The image classifiers' request: a 224x224 PNG made by the project, base64 in JSON (164 KB). */
    static String imageRequest() {
        return "{\"image\":\"" + Base64.getEncoder().encodeToString(DemoModels.testImagePng(224, 224, 1)) + "\"}";
    }

    /** The MLP's request: 784 float32 values of a fixed seed as a JSON tensor (8 KB). */
    static String tensorRequest() {
        StringBuilder tensor = new StringBuilder(
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784]," + "\"dtype\":\"float32\",\"data\":[");
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int i = 0; i < 784; i++) {
            tensor.append(i == 0 ? "" : ",").append((float) random.nextDouble(-1, 1));
        }
        return tensor.append("]}]}").toString();
    }

    /** The demo model called {@code name}, built into {@code work}; {@code option} names the flag in the refusal. */
    static Path bundle(Path work, String name, String option) {
        return switch (name) {
            case "resnet18" -> DemoModels.resnet18(work);
            case "resnet50" -> DemoModels.resnet50(work);
            case "mlp" -> DemoModels.mlp(work);
            default ->
                throw new IllegalArgumentException(option + ": no demo model " + name + " (resnet18, resnet50, mlp)");
        };
    }

    /** The {@code Authorization} header of the platform's guest namespace. */
    static String guestAuth(Platform platform) {
        return "Basic " + Base64.getEncoder().encodeToString(platform.guestKey().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Calls a warm-up MLP action {@code n} times through the gateway and prints each block's p50: the
     * gateway's, controller's and invoker's code is the same for every model action, and it takes this many
     * calls to be compiled.
     */
    static void warmPlatform(Platform platform, String auth, Path mlp, String request, int n) throws Exception {
        if (n <= 0) {
            return;
        }
        String url = deploy(platform, auth, "platform-warm-up", mlp);
        System.out.printf(
                "platform warm-up: %d MLP calls through the gateway, p50 per %d calls (ms):%s%n",
                n, 2000, warmUp(url + "?blocking=true&result=true", auth, request, n, 2000, i -> {}));
        send("DELETE", url, auth, null);
    }

    /** Something done between timed calls; {@code i} counts the calls. */
    interface Between {
        void after(int i) throws Exception;
    }

    /**
     * Calls {@code url} {@code n} times, doing {@code between} after each call (untimed); the p50 of each
     * {@code block} calls, as a line's tail.
     */
    static String warmUp(String url, String auth, String request, int n, int block, Between between) throws Exception {
        return warmUp(url, auth, request, n, block, between, false);
    }

    /**
     * As above; with {@code byProcess} each block's p50 is followed by the processes that used the most CPU
     * a call over it (the proxy's kernel time and faults first), one line per block, so that a warm-up whose
     * latency drifts shows which process drifted with it.
     */
    static String warmUp(String url, String auth, String request, int n, int block, Between between, boolean byProcess)
            throws Exception {
        StringBuilder p50s = new StringBuilder();
        for (int done = 0; done < n; done += block) {
            double[] lat = new double[Math.min(block, n - done)];
            ProcessCpu cpu = new ProcessCpu();
            cpu.begin();
            for (int i = 0; i < lat.length; i++) {
                long t0 = System.nanoTime();
                post(url, auth, request, 200);
                lat[i] = (System.nanoTime() - t0) / 1e6;
                between.after(done + i);
            }
            cpu.end(lat.length);
            if (byProcess) { // a line per block: its p50 and who used the CPU
                p50s.append(String.format("%n    %.2f (%s)", Stats.percentile(lat, 50), cpu.top(3)));
            } else {
                p50s.append(String.format(" %.2f", Stats.percentile(lat, 50)));
            }
        }
        return p50s.toString();
    }

    /**
     * Waits until the invoker holds a pre-warmed model stem cell of the actions' memory (1024 MB), at most
     * {@code timeout}; says so and goes on when none comes.
     */
    private static void awaitStemCell(Platform platform, Duration timeout) throws Exception {
        String url = "http://127.0.0.1:" + platform.invokerPort() + "/invoker/containers";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode c : Json.tree(send("GET", url, null, null).body()).path("containers")) {
                if (c.path("state").asString().equals("prewarmed")
                        && c.path("kind").asString().equals(ContainerFactory.DJL_PYTORCH)
                        && c.path("memoryMb").asInt() == 1024) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        System.out.println("  (no model stem cell came within " + timeout.toSeconds() + " s)");
    }

    /**
     * The invoker's containers now, whatever their state, by id, each with its state and its action or kind:
     * one that appears between two readings was started in between (a stem cell replaced, a warm container
     * started ahead of demand), and what it is says which.
     */
    private static Map<String, String> containers(Platform platform) throws Exception {
        String url = "http://127.0.0.1:" + platform.invokerPort() + "/invoker/containers";
        Map<String, String> byId = new LinkedHashMap<>();
        for (JsonNode c : Json.tree(send("GET", url, null, null).body()).path("containers")) {
            String what = c.has("action")
                    ? c.path("action").asString()
                    : c.path("kind").asString();
            byId.put(c.path("id").asString(), c.path("state").asString() + " " + what);
        }
        return byId;
    }

    /** Uploads {@code bundle} and creates the action {@code name} on it; returns its URL. */
    static String deploy(Platform platform, String auth, String name, Path bundle) throws Exception {
        String url = platform.apiHost() + "/api/v1/namespaces/_/actions/" + name;
        check(send("PUT", url, auth, upload(platform, auth, bundle)), 200);
        return url;
    }

    /**
     * The container alone: a proxy made as the invoker makes it ({@link ProcessContainerFactory}, the same
     * flags, a pre-warmed engine, the tensor store off), the bundle initialised, {@code /run} called
     * through the invoker's own client. Between this and {@code predict} is what the container costs;
     * between Hearth and this, what the platform costs.
     */
    record Alone(ContainerFactory factory, Container container, RunRequest run) implements AutoCloseable {
        static Alone start(Path work, String model, Path zip, String request) throws Exception {
            return start(work, model, zip, request, null, false);
        }

        /** With {@code store}: weights through that tensor store; {@code merge}: the runtime merged too. */
        static Alone start(Path work, String model, Path zip, String request, Path store, boolean merge)
                throws Exception {
            String tag = model + (store == null ? "" : "-shared") + (merge ? "-merged" : "");
            return start(work, tag, zip, request, store, merge, List.of());
        }

        /** {@code tag} names its directories; {@code flags} go after the invoker's per-kind JVM flags. */
        static Alone start(
                Path work, String tag, Path zip, String request, Path store, boolean merge, List<String> flags)
                throws Exception {
            return start(work, tag, zip, request, store, merge, flags, null, null);
        }

        /**
         * With {@code gompSpinCount} in the container's environment ({@code null}: the invoker's default) and
         * {@code proxyJar} in place of this build's runtime-proxy jar ({@code null}: this build's).
         */
        static Alone start(
                Path work,
                String tag,
                Path zip,
                String request,
                Path store,
                boolean merge,
                List<String> flags,
                Integer gompSpinCount,
                Path proxyJar)
                throws Exception {
            TensorSharingBench.Bundle b = TensorSharingBench.extract(work, tag + "-alone", zip);
            InvokerProperties props = TensorSharingBench.invokerProperties(
                    work.resolve("alone-" + tag), store, flags, merge, gompSpinCount, proxyJar);
            RunRequest run =
                    new RunRequest(RawJson.of(Json.tree(request)), "guest", "/guest/" + tag, "0", "0", 0, null, 0);
            ContainerFactory factory = TensorSharingBench.processFactory(props);
            Container c = factory.create("alone-" + tag, 1024, ContainerFactory.DJL_PYTORCH);
            c.prewarm(ContainerFactory.DJL_PYTORCH);
            c.init(
                    new InitRequest(b.name(), null, b.dir(), Map.of(), ContainerFactory.DJL_PYTORCH, b.digest()),
                    Duration.ofMinutes(2));
            return new Alone(factory, c, run);
        }

        /** One {@code /run}; its latency in ms. */
        double call() {
            return timed()[0];
        }

        /** One {@code /run}: its latency and the inference time the container reported (0 when none), ms. */
        double[] timed() {
            return timed(run.cpuThreads());
        }

        /** {@link #timed()} with the run's {@code cpu_threads} set to {@code cpuThreads} (0: none sent). */
        double[] timed(int cpuThreads) {
            RunRequest req = cpuThreads == run.cpuThreads()
                    ? run
                    : new RunRequest(
                            run.value(),
                            run.namespace(),
                            run.actionName(),
                            run.activationId(),
                            run.transactionId(),
                            run.deadline(),
                            run.apiKey(),
                            cpuThreads);
            long t0 = System.nanoTime();
            RunResult r = container.run(req, Duration.ofMinutes(1), 0);
            double ms = (System.nanoTime() - t0) / 1e6;
            ran(r);
            Double inference = ((RunResult.Responded) r).inferenceMs();
            return new double[] {ms, inference == null ? 0 : inference};
        }

        @Override
        public void close() throws Exception {
            try {
                container.destroy();
            } finally {
                factory.close();
            }
        }
    }

    private static void ran(RunResult r) {
        if (!(r instanceof RunResult.Responded ok) || ok.status() != 200) {
            throw new IllegalStateException("the container's /run failed: " + r);
        }
    }

    /** Uploads {@code bundle} as an artifact; returns the body of an action on it (1024 MB). */
    private static String upload(Platform platform, String auth, Path bundle) throws Exception {
        HttpResponse<String> up = BenchHttp.HTTP.send(
                HttpRequest.newBuilder(URI.create(platform.apiHost() + "/api/v1/namespaces/_/artifacts"))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofFile(bundle))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        check(up, 201);
        String digest = Json.tree(up.body()).path("digest").asString();
        return "{\"exec\":{\"kind\":\"djl:pytorch\",\"digest\":\"" + digest + "\"},\"limits\":{\"memory\":1024}}";
    }

    private static List<String> measure(
            Path work,
            Platform platform,
            String auth,
            String model,
            Path bundle,
            String request,
            int cold,
            int warm,
            int modelWarmUp,
            List<Ab.Switch> switches,
            boolean aloneStoreOfPlatform)
            throws Exception {
        String base = platform.apiHost() + "/api/v1/namespaces/_";
        String exec = upload(platform, auth, bundle);

        Map<String, List<Double>> phases = new LinkedHashMap<>();
        for (String p : PHASES) {
            phases.put(p, new ArrayList<>());
        }
        List<Double> initTime = new ArrayList<>();
        List<Double> inference = new ArrayList<>();
        List<Double> firstResult = new ArrayList<>();
        Map<String, List<Double>> firstByKind = new LinkedHashMap<>();
        for (int i = 0; i < cold; i++) {
            // Every other cold start finds the platform at rest (its stem cell back), the others come
            // right after the previous one, as in a burst: a stem cell takes seconds to be replaced.
            if (i % 2 == 0) {
                awaitStemCell(platform, Duration.ofSeconds(60));
            }
            String url = base + "/actions/" + model + "-cold-" + i;
            check(send("PUT", url, auth, exec), 200);
            long t0 = System.nanoTime();
            HttpResponse<String> r = send("POST", url + "?blocking=true", auth, request);
            double ms = (System.nanoTime() - t0) / 1e6;
            firstResult.add(ms);
            check(r, 200);
            JsonNode record = Json.tree(r.body());
            firstByKind
                    .computeIfAbsent(annotation(record, "startKind").asString(), k -> new ArrayList<>())
                    .add(ms);
            JsonNode breakdown = annotation(record, "initBreakdown");
            for (String p : PHASES) {
                phases.get(p).add(breakdown.path(p).asDouble());
            }
            initTime.add(annotation(record, "initTime").asDouble());
            inference.add(annotation(record, "inferenceTime").asDouble());
            send("DELETE", url, auth, null);
        }
        String url = base + "/actions/" + model;
        check(send("PUT", url, auth, exec), 200);
        Warm early;
        Warm settled;
        String settling;
        Map<String, String> started;
        List<Ab> abs = new ArrayList<>();
        // --alone-store platform: the container alone maps its weights from the platform's own tensor store, the
        // same pages as Hearth's container, so that between the two only the platform differs
        Path aloneStore = aloneStoreOfPlatform ? Platform.tensorRoot(work.resolve("data")) : null;
        try (Alone container = Alone.start(work, model, bundle, request, aloneStore, false);
                LoadedModel local = new ModelHost().load(bundle);
                PlainPredict plain = PlainPredict.start(work, bundle, request)) {
            Baselines baselines = new Baselines(container, local, plain, request);
            // 10 s of all four first, for each JIT; then the series once, the model's own warm-up, and
            // the series again: the two are compared within one run, as separate runs drift by more.
            long warmUntil = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < warmUntil) {
                post(url + "?blocking=true", auth, request, 200);
                baselines.once();
            }
            early = modelWarmUp > 0 ? Warm.measure(url, auth, request, baselines, warm) : null;
            settling = warmUp(
                    url + "?blocking=true",
                    auth,
                    request,
                    modelWarmUp,
                    500,
                    i -> {
                        if (i % 4 == 0) { // the baselines' own JITs keep up (their Java code: the image's decoding)
                            baselines.once();
                        }
                    },
                    true);
            // the cold starts' containers have been idle past the idle timeout by now and are gone; the stem
            // cell their memory makes room for starts now, not beside the measured calls
            awaitStemCell(platform, Duration.ofSeconds(120));
            for (Ab.Switch what : switches) {
                abs.add(Ab.measure(what, url + "?blocking=true", auth, request, 8));
            }
            Set<String> before = containers(platform).keySet();
            settled = Warm.measure(url, auth, request, baselines, warm);
            started = new LinkedHashMap<>(containers(platform));
            started.keySet().removeAll(before);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                "%s (%.1f MB bundle, %d KB request)", model, Files.size(bundle) / 1e6, request.length() / 1024));
        if (modelWarmUp > 0) {
            lines.add(String.format(
                    "  model warm-up: %d calls through the gateway, p50 per 500 (ms):%s", modelWarmUp, settling));
        }
        StringBuilder b = new StringBuilder("  cold start, median of " + cold + ":");
        for (String p : PHASES) {
            b.append(String.format(" %s %.0f", p.replace("Ms", ""), Stats.median(phases.get(p))));
        }
        lines.add(b
                + String.format(
                        " | initTime %.0f, first inference %.1f ms", Stats.median(initTime), Stats.median(inference)));
        lines.add(String.format("  cold: client request to first result %.0f ms (median)", Stats.median(firstResult)));
        firstByKind.forEach((kind, ms) -> lines.add(String.format(
                "    of which %s (%s): %d, median %.0f ms",
                kind, kind.equals("cold") ? "a new container" : "a stem cell", ms.size(), Stats.median(ms))));
        if (early != null) {
            lines.add(String.format(
                    "  before the model warm-up (after 10 s): overhead p50 %.2f ms, ratio %.2fx (Hearth %.2f,"
                            + " predict %.2f ms)",
                    early.overhead(), early.ratio(), early.hearth(), early.predict()));
        }
        for (Ab ab : abs) {
            lines.addAll(ab.lines());
        }
        lines.addAll(settled.lines());
        lines.add(String.format(
                "  containers the invoker started during the measured calls: %d%s",
                started.size(),
                started.isEmpty()
                        ? ""
                        : " " + started + " (their start-up's CPU ran beside the calls: a disturbed run)"));
        lines.forEach(System.out::println);
        return lines;
    }

    /**
     * A switch of the platform, on against off, in alternating blocks of {@value #BLOCK} warm calls through the
     * gateway on one platform (the bench flips it before each block; the order alternates from round to
     * round): latency and the container's inference time, p50 by side, and the median of the blocks' p50s.
     * The settled series that follow run with the switch off (each switch's off is the platform's default).
     */
    record Ab(Switch what, List<double[]> on, List<double[]> off, List<double[]> inferOn, List<double[]> inferOff) {
        static final int BLOCK = 100;

        /** What is compared: its name for the line, what "on" and "off" are, and how to flip it. */
        record Switch(String name, String onIs, String offIs, Consumer<Boolean> flip) {}

        /**
         * {@code --background-ab}: the platform's background threads ({@link BackgroundThreads}) at nice
         * {@value InvokerProperties.Cpu#BACKGROUND_NICE} against 0 (moving them back to 0 needs
         * {@code CAP_SYS_NICE}).
         */
        static Switch backgroundNice() {
            int level = InvokerProperties.Cpu.BACKGROUND_NICE;
            return new Switch(
                    "background threads", "at nice " + level, "at 0", on -> BackgroundThreads.sweep(on ? level : 0));
        }

        /**
         * {@code --gateway-ab}: the gateway's invocations over loopback HTTP to the controller's Tomcat, as
         * between processes, against the method call of one JVM (the platform's default).
         */
        static Switch gatewayHttp(Platform platform) {
            return new Switch(
                    "the gateway's hop",
                    "over loopback HTTP",
                    "a method call",
                    on -> platform.gatewayCallsInProcess(!on));
        }

        static Ab measure(Switch what, String url, String auth, String request, int rounds) throws Exception {
            Ab ab = new Ab(what, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    boolean on = (r + k) % 2 == 0;
                    what.flip().accept(on);
                    double[] lat = new double[BLOCK];
                    double[] inf = new double[BLOCK];
                    for (int i = 0; i < BLOCK; i++) {
                        long t0 = System.nanoTime();
                        String rec = post(url, auth, request, 200);
                        lat[i] = (System.nanoTime() - t0) / 1e6;
                        inf[i] = annotation(Json.tree(rec), "inferenceTime").asDouble();
                    }
                    (on ? ab.on : ab.off).add(lat);
                    (on ? ab.inferOn : ab.inferOff).add(inf);
                }
            }
            what.flip().accept(false);
            return ab;
        }

        List<String> lines() {
            return List.of(String.format(
                    "  %s %s against %s (%d blocks of %d each, alternating): p50 %.2f against %.2f ms (%.3fx,"
                            + " %+.2f ms), median of blocks' p50s %.2f against %.2f;"
                            + " inference in the container p50 %.2f against %.2f ms",
                    what.name(),
                    what.onIs(),
                    what.offIs(),
                    on.size(),
                    BLOCK,
                    p50(on),
                    p50(off),
                    p50(on) / p50(off),
                    p50(on) - p50(off),
                    blocks(on),
                    blocks(off),
                    p50(inferOn),
                    p50(inferOff)));
        }

        private static double p50(List<double[]> blocks) {
            return Stats.percentile(
                    blocks.stream().flatMapToDouble(Arrays::stream).toArray(), 50);
        }

        private static double blocks(List<double[]> blocks) {
            return Stats.median(
                    blocks.stream().map(b -> Stats.percentile(b, 50)).toList());
        }
    }

    /**
     * What Hearth is compared with: the container alone, {@code predict} in this JVM (the platform's), and
     * {@code predict} in a plain JVM of its own ({@link PlainPredict}).
     */
    record Baselines(Alone container, LoadedModel local, PlainPredict plain, String request) {
        /** One call of each, untimed (their JITs' warm-up). */
        void once() throws Exception {
            container.call();
            local.predict(JsonParser.parseString(request).getAsJsonObject());
            plain.timed(1);
        }
    }

    /**
     * Warm latency of one model four ways, in interleaved blocks of {@value #BLOCK} calls (Hearth through
     * the gateway, the container alone, {@code predict} here, {@code predict} in a plain JVM) whose order
     * rotates from block to block, so a shared machine's drift hits them alike; not call by call, because
     * then each would start while the previous one's libtorch threads still spin on the 2 cores (that made
     * {@code predict} 30% slower).
     */
    record Warm(
            double[] through,
            double[] inference,
            double[] waitTime,
            double[] duration,
            double[] alone,
            double[] aloneInference,
            double[] direct,
            double[] plain,
            double[] plainForward,
            ProcessCpu[] cpu) {

        static Warm measure(String url, String auth, String request, Baselines baselines, int n) throws Exception {
            Warm w = new Warm(
                    new double[n],
                    new double[n],
                    new double[n],
                    new double[n],
                    new double[n],
                    new double[n],
                    new double[n],
                    new double[n],
                    new double[n],
                    Stream.generate(ProcessCpu::new).limit(4).toArray(ProcessCpu[]::new));
            for (int from = 0; from < n; from += BLOCK) {
                int to = Math.min(n, from + BLOCK);
                // The series that follows another is slowed by what the other leaves running (a
                // container's spinning threads, a JIT), so the order rotates.
                for (int k = 0; k < 4; k++) {
                    int series = (from / BLOCK + k) % 4;
                    w.cpu[series].begin();
                    switch (series) {
                        case 0 -> {
                            for (int i = from; i < to; i++) {
                                long t0 = System.nanoTime();
                                String r = post(url + "?blocking=true", auth, request, 200);
                                w.through[i] = (System.nanoTime() - t0) / 1e6;
                                JsonNode rec = Json.tree(r);
                                w.inference[i] =
                                        annotation(rec, "inferenceTime").asDouble();
                                w.waitTime[i] = annotation(rec, "waitTime").asDouble();
                                w.duration[i] = rec.path("duration").asDouble();
                            }
                        }
                        case 1 -> {
                            for (int i = from; i < to; i++) {
                                double[] t = baselines.container().timed();
                                w.alone[i] = t[0];
                                w.aloneInference[i] = t[1];
                            }
                        }
                        case 2 -> {
                            for (int i = from; i < to; i++) {
                                long t0 = System.nanoTime();
                                baselines
                                        .local()
                                        .predict(JsonParser.parseString(request).getAsJsonObject());
                                w.direct[i] = (System.nanoTime() - t0) / 1e6;
                            }
                        }
                        default -> {
                            System.arraycopy(baselines.plain().timed(to - from), 0, w.plain, from, to - from);
                            System.arraycopy(baselines.plain().lastForward(), 0, w.plainForward, from, to - from);
                        }
                    }
                    w.cpu[series].end(to - from);
                }
            }
            return w;
        }

        double hearth() {
            return Stats.percentile(through, 50);
        }

        /** The baseline: {@code predict} in a plain JVM of its own. */
        double predict() {
            return Stats.percentile(plain, 50);
        }

        double overhead() {
            return hearth() - predict();
        }

        double ratio() {
            return hearth() / predict();
        }

        List<String> lines() {
            double b50 = predict();
            double h50 = hearth();
            double c50 = Stats.percentile(alone, 50);
            return List.of(
                    String.format(
                            "  warm baseline: predict in one plain JVM  p50 %7.2f ms  p99 %7.2f ms  (predict in the"
                                    + " benchmark's JVM, beside the platform: p50 %.2f ms)",
                            b50, Stats.percentile(plain, 99), Stats.percentile(direct, 50)),
                    String.format(
                            "  warm through Hearth (gateway, blocking) p50 %7.2f ms  p99 %7.2f ms  (inference in the"
                                    + " container p50 %.2f ms)",
                            h50, Stats.percentile(through, 99), Stats.percentile(inference, 50)),
                    String.format("  warm overhead p50 %.2f ms, ratio %.2fx", overhead(), ratio()),
                    String.format(
                            "  where: the container alone (/run through the invoker's client) p50 %.2f ms p99 %.2f"
                                    + " ms (inference p50 %.2f ms), so the container adds %.2f ms to predict and the"
                                    + " platform %.2f ms to the container",
                            c50,
                            Stats.percentile(alone, 99),
                            Stats.percentile(aloneInference, 50),
                            c50 - b50,
                            h50 - c50),
                    String.format(
                            "  the forward pass: predict's p50 %.2f ms, the container's %.2f (alone) and %.2f (through"
                                    + " Hearth); the rest of a call (JSON, adapters, and for a container its HTTP):"
                                    + " predict's %.2f ms, the container alone's %.2f",
                            Stats.percentile(plainForward, 50),
                            Stats.percentile(aloneInference, 50),
                            Stats.percentile(inference, 50),
                            b50 - Stats.percentile(plainForward, 50),
                            c50 - Stats.percentile(aloneInference, 50)),
                    String.format(
                            "  the records (whole ms): waitTime p50 %.0f ms (controller to invoker), duration p50"
                                    + " %.0f ms (the invoker's run, container included)",
                            Stats.percentile(waitTime, 50), Stats.percentile(duration, 50)),
                    "  CPU a call by process (ms), during Hearth's blocks: " + cpu[0].top(5),
                    "    this JVM's threads during Hearth's blocks: " + cpu[0].topThreads(8),
                    "    this JVM's threads during the container alone's: " + cpu[1].topThreads(4),
                    "    during the container alone's: " + cpu[1].top(4),
                    "    during predict's in a plain JVM: " + cpu[3].top(4));
        }
    }
}
