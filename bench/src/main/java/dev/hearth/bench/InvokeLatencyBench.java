package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.annotation;
import static dev.hearth.bench.BenchHttp.check;
import static dev.hearth.bench.BenchHttp.intArg;
import static dev.hearth.bench.BenchHttp.post;
import static dev.hearth.bench.BenchHttp.send;

import dev.hearth.common.json.Json;
import dev.hearth.proxy.RuntimeProxy;
import dev.hearth.standalone.Platform;
import dev.hearth.standalone.PlatformSettings;
import dev.hearth.testsupport.ActionJars;
import dev.hearth.testsupport.Scratch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * Warm invocation latency of a no-op action through the whole platform (gateway → controller →
 * Kafka → invoker → container → Kafka → controller → gateway), next to the baseline measured in the
 * same run: the same action's {@code /run} called directly on a runtime-proxy process. Their
 * difference is the platform's overhead. Then throughput at 1, 4 and 16 concurrent clients.
 *
 * <p>Usage: {@code bench/invoke-latency [--runs 3] [--requests 1000] [--seconds 10] [--payload-kb 0]
 * [--path both|kafka,http,direct]}. Each run measures both sides; the summary reports medians over the
 * runs. The whole measurement runs once per path named, each on a platform of its own, and the first is
 * the baseline of the comparison: {@code kafka} (blocking calls through Kafka,
 * {@code hearth.controller.direct.enabled=false}), {@code http} (the direct path over HTTP, as between
 * processes), {@code direct} (the platform as it runs: in one JVM the direct path is a method call);
 * {@code both}, the default, is {@code kafka,direct}.
 */
public final class InvokeLatencyBench {
    private static final String NOOP = """
            package bench;
            import com.google.gson.JsonObject;
            public class Noop {
                public static JsonObject main(JsonObject args) { return new JsonObject(); }
            }
            """;

    private InvokeLatencyBench() {}

    public static void main(String[] args) throws Exception {
        int runs = intArg(args, "--runs", 3);
        int requests = intArg(args, "--requests", 1000);
        int seconds = intArg(args, "--seconds", 10);
        int payloadKb = intArg(args, "--payload-kb", 0);
        String payload = payloadKb == 0 ? "{}" : "{\"blob\":\"" + "x".repeat(payloadKb * 1024) + "\"}";
        Path work = Scratch.dir("hearth-bench");
        Path jar = ActionJars.build(work.resolve("jar"), "bench.Noop", NOOP);

        System.out.printf(
                "Hearth invoke latency benchmark: %d runs x %d sequential warm requests, "
                        + "throughput %d s per level; payload %d KB; %d cores%n",
                runs, requests, seconds, payloadKb, Runtime.getRuntime().availableProcessors());
        Map<String, Double> overhead = new java.util.LinkedHashMap<>();
        Map<String, Double> platformP50 = new java.util.LinkedHashMap<>();
        for (String path : modes(args)) {
            System.out.printf("%n=== blocking calls %s%n", DESCRIBED.get(path));
            double[] r = measure(path, work, jar, runs, requests, seconds, payload);
            platformP50.put(path, r[0]);
            overhead.put(path, r[0] - r[1]);
        }
        List<String> measured = List.copyOf(platformP50.keySet());
        if (measured.size() > 1) {
            System.out.println();
            String base = measured.getFirst();
            for (String path : measured.subList(1, measured.size())) {
                System.out.printf(
                        "%s vs %s (the baseline), same run: platform p50 %.2f vs %.2f ms (%.2fx); overhead p50 %.2f vs"
                                + " %.2f ms (%.2fx)%n",
                        path,
                        base,
                        platformP50.get(path),
                        platformP50.get(base),
                        platformP50.get(path) / platformP50.get(base),
                        overhead.get(path),
                        overhead.get(base),
                        overhead.get(path) / overhead.get(base));
            }
        }
    }

    /** The paths a blocking call can take, by their {@code --path} names. */
    private static final Map<String, String> DESCRIBED = Map.of(
            "kafka", "through Kafka (hearth.controller.direct.enabled=false)",
            "http", "over the direct path by HTTP (controller -> invoker POST; " + Platform.IN_PROCESS + "=false)",
            "direct", "over the direct path as the platform runs it (in one JVM: a method call)");

    /**
     * {@code --path}: a comma-separated list of {@code kafka}, {@code http}, {@code direct}; {@code both}
     * (the default) is {@code kafka,direct}. The first is the baseline of the comparison lines.
     */
    private static List<String> modes(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--path")) {
                String value = args[i + 1].equals("both") ? "kafka,direct" : args[i + 1];
                List<String> paths = List.of(value.split(","));
                for (String p : paths) {
                    if (!DESCRIBED.containsKey(p)) {
                        throw new IllegalArgumentException("--path takes kafka, http, direct or both, was " + p);
                    }
                }
                return paths;
            }
        }
        return List.of("kafka", "direct");
    }

    /** One platform, {@code runs} runs; prints its summary; returns {platform p50, baseline p50} medians. */
    private static double[] measure(
            String path, Path work, Path jar, int runs, int requests, int seconds, String payload) throws Exception {
        List<Double> directP50 = new ArrayList<>();
        List<Double> directP99 = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> waitP50 = new ArrayList<>();
        List<Double> controllerP50 = new ArrayList<>();
        List<Double> durP50 = new ArrayList<>();
        Map<Integer, List<Double>> throughput =
                Map.of(1, new ArrayList<>(), 4, new ArrayList<>(), 16, new ArrayList<>());

        Map<String, Object> settings = new java.util.HashMap<>(BenchHttp.UNTHROTTLED);
        settings.put("hearth.controller.direct.enabled", !path.equals("kafka"));
        settings.put(Platform.IN_PROCESS, !path.equals("http"));
        Path data = work.resolve("data-" + path);
        try (Platform platform = Platform.start(PlatformSettings.ephemeral(data, settings))) {
            String auth = "Basic "
                    + Base64.getEncoder().encodeToString(platform.guestKey().getBytes(StandardCharsets.UTF_8));
            String url = platform.apiHost() + "/api/v1/namespaces/_/actions/noop";
            String body = "{\"exec\":{\"kind\":\"java\",\"binary\":true,\"main\":\"bench.Noop\",\"code\":\""
                    + ActionJars.base64(jar) + "\"}}";
            check(send("PUT", url, auth, body), 200);
            // Warm-up with the measured payload until every hop's JIT has settled (200 was too few:
            // an 8 KB payload then measured 14 ms where a warmed platform answers in 2-4 ms).
            for (int i = 0; i < 3000; i++) {
                post(url + "?blocking=true", auth, payload, 200);
                post(
                        "http://127.0.0.1:" + platform.controllerPort() + "/api/v1/namespaces/_/actions/noop"
                                + "?blocking=true",
                        auth,
                        payload,
                        200);
            }
            for (int run = 1; run <= runs; run++) {
                double[] direct = direct(jar, requests, payload);
                directP50.add(Stats.percentile(direct, 50));
                directP99.add(Stats.percentile(direct, 99));

                double[] lat = new double[requests];
                double[] wait = new double[requests];
                double[] dur = new double[requests];
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    String r = post(url + "?blocking=true", auth, payload, 200);
                    lat[i] = (System.nanoTime() - t0) / 1e6;
                    JsonNode rec = Json.tree(r);
                    dur[i] = rec.path("duration").asDouble();
                    wait[i] = annotation(rec, "waitTime").asDouble();
                }
                String controllerUrl = "http://127.0.0.1:" + platform.controllerPort()
                        + "/api/v1/namespaces/_/actions/noop?blocking=true";
                double[] viaController = new double[requests];
                for (int i = 0; i < requests; i++) {
                    long t0 = System.nanoTime();
                    post(controllerUrl, auth, payload, 200);
                    viaController[i] = (System.nanoTime() - t0) / 1e6;
                }
                controllerP50.add(Stats.percentile(viaController, 50));
                p50.add(Stats.percentile(lat, 50));
                p99.add(Stats.percentile(lat, 99));
                waitP50.add(Stats.percentile(wait, 50));
                durP50.add(Stats.percentile(dur, 50));
                System.out.printf(
                        "run %d: direct /run p50 %.2f ms p99 %.2f ms | platform p50 %.2f ms p99 %.2f ms"
                                + " | waitTime p50 %.0f ms, duration p50 %.0f ms%n",
                        run,
                        directP50.getLast(),
                        directP99.getLast(),
                        p50.getLast(),
                        p99.getLast(),
                        waitP50.getLast(),
                        durP50.getLast());
                for (int clients : List.of(1, 4, 16)) {
                    double rps = throughput(url + "?blocking=true", auth, clients, seconds);
                    throughput.get(clients).add(rps);
                    System.out.printf("run %d: throughput with %2d clients: %.0f invocations/s%n", run, clients, rps);
                }
            }
        }
        double d50 = Stats.median(directP50);
        double d99 = Stats.median(directP99);
        double m50 = Stats.median(p50);
        double m99 = Stats.median(p99);
        System.out.println();
        System.out.printf("medians over %d runs%n", runs);
        System.out.printf("  baseline: direct container /run   p50 %7.2f ms   p99 %7.2f ms%n", d50, d99);
        System.out.printf("  through the gateway (blocking)    p50 %7.2f ms   p99 %7.2f ms%n", m50, m99);
        System.out.printf(
                "  straight to the controller         p50 %7.2f ms   (the gateway's share is the difference)%n",
                Stats.median(controllerP50));
        System.out.printf(
                "  platform overhead                 p50 %7.2f ms   p99 %7.2f ms   (aim: <= 10 / <= 30)%n",
                m50 - d50, m99 - d99);
        System.out.printf("  ratio platform / direct           p50 %7.1fx     p99 %7.1fx%n", m50 / d50, m99 / d99);
        System.out.printf(
                "  where it goes (p50): waitTime (controller -> Kafka -> invoker) %.0f ms, "
                        + "container run as the invoker sees it %.0f ms, rest (gateway, controller, completion) %.1f ms%n",
                Stats.median(waitP50), Stats.median(durP50), m50 - Stats.median(waitP50) - Stats.median(durP50));
        for (int clients : List.of(1, 4, 16)) {
            System.out.printf(
                    "  throughput %2d clients: %6.0f invocations/s%n", clients, Stats.median(throughput.get(clients)));
        }
        return new double[] {m50, d50};
    }

    /** The baseline: a runtime proxy started by hand, the same jar, /run over loopback. */
    private static double[] direct(Path jar, int requests, String payload) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        cmd.addAll(List.of(
                "-Xmx128m",
                "-cp",
                classpathOf(RuntimeProxy.class) + java.io.File.pathSeparator + ActionJars.gsonJar(),
                RuntimeProxy.class.getName(),
                "--port",
                "0"));
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> {}));
            int port = Integer.parseInt(ready.replaceAll(".*port=(\\d+).*", "$1"));
            String base = "http://127.0.0.1:" + port;
            check(
                    send(
                            "POST",
                            base + "/init",
                            null,
                            "{\"value\":{\"name\":\"noop\",\"main\":\"bench.Noop\",\"binary\":true,\"codePath\":\""
                                    + jar.toAbsolutePath() + "\"}}"),
                    200);
            String run = "{\"value\":" + payload + ",\"namespace\":\"guest\",\"action_name\":\"/guest/noop\","
                    + "\"activation_id\":\"0\",\"transaction_id\":\"0\",\"deadline\":\"0\"}";
            for (int i = 0; i < 500; i++) {
                post(base + "/run", null, run, 200);
            }
            double[] lat = new double[requests];
            for (int i = 0; i < requests; i++) {
                long t0 = System.nanoTime();
                post(base + "/run", null, run, 200);
                lat[i] = (System.nanoTime() - t0) / 1e6;
            }
            return lat;
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    private static double throughput(String url, String auth, int clients, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> r = send("POST", url, auth, "{}");
                        if (r.statusCode() == 200 && !stop.get()) {
                            done.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long count = done.get();
            double elapsed = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            return count / elapsed;
        }
    }

    private static String classpathOf(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                .toString();
    }
}
