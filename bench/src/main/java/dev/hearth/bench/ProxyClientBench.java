package dev.hearth.bench;

import com.google.gson.JsonParser;
import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.common.json.Json;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.testsupport.Scratch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cost of the HTTP client on the invoker's hop to a runtime proxy. One model container made as the
 * invoker makes it, the invoker's {@code /run} body, sent by {@link KeptAliveHttp} (what the invoker and
 * the controller use) and by the JDK's two clients (the baselines: {@code java.net.http.HttpClient}, which
 * the invoker used, and {@code HttpURLConnection}, which the controller used), next to {@code predict} on
 * the same bundle in this JVM. The series run in interleaved blocks after 10 s of warm-up, for the MLP
 * (8 KB request) and ResNet-18 (164 KB image); medians over the runs of each series' p50.
 *
 * <p>Usage: {@code bench/proxy-client [--runs 3] [--calls 400]}
 */
public final class ProxyClientBench {
    private static final int BLOCK = 25;
    private static final Pattern PORT = Pattern.compile("port (\\d+)");
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private ProxyClientBench() {}

    /** One way of posting the {@code /run} body to the proxy on a port. */
    private interface Client {
        void run(int port, byte[] body) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int runs = BenchHttp.intArg(args, "--runs", 3);
        int calls = BenchHttp.intArg(args, "--calls", 400);
        Path work = Scratch.dir("hearth-proxy-client-bench");
        KeptAliveHttp kept = new KeptAliveHttp(Duration.ofSeconds(5));
        HttpClient jdk = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Map<String, Client> clients = new LinkedHashMap<>();
        clients.put(
                "KeptAliveHttp",
                (port, body) -> ok(kept.post("127.0.0.1", port, "/run", "application/json", body, TIMEOUT)
                        .status()));
        clients.put(
                "JDK HttpClient",
                (port, body) -> ok(jdk.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/run"))
                                        .timeout(TIMEOUT)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray())
                        .statusCode()));
        clients.put("HttpURLConnection", ProxyClientBench::viaUrlConnection);
        System.out.printf(
                "the invoker's hop to a runtime proxy: /run through three HTTP clients, %d runs of %d calls each,"
                        + " %d cores%n",
                runs, calls, Runtime.getRuntime().availableProcessors());
        for (String model : List.of("mlp", "resnet18")) {
            Path zip = model.equals("mlp") ? DemoModels.mlp(work) : DemoModels.resnet18(work);
            String request = model.equals("mlp") ? ModelLatencyBench.tensorRequest() : ModelLatencyBench.imageRequest();
            Map<String, List<Double>> p50s = new LinkedHashMap<>();
            p50s.put("predict", new ArrayList<>());
            clients.keySet().forEach(k -> p50s.put(k, new ArrayList<>()));
            try (ModelLatencyBench.Alone alone = ModelLatencyBench.Alone.start(work, model, zip, request);
                    LoadedModel local = new ModelHost().load(zip)) {
                Matcher m = PORT.matcher(alone.container().toString());
                if (!m.find()) {
                    throw new IllegalStateException("no port in " + alone.container());
                }
                int port = Integer.parseInt(m.group(1));
                byte[] body = Json.toBytes(alone.run().toJson());
                Client predict =
                        (p, b) -> local.predict(JsonParser.parseString(request).getAsJsonObject());
                Map<String, Client> series = new LinkedHashMap<>();
                series.put("predict", predict);
                series.putAll(clients);
                long warmUntil = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < warmUntil) {
                    for (Client c : series.values()) {
                        c.run(port, body);
                    }
                }
                for (int run = 0; run < runs; run++) {
                    Map<String, double[]> lat = new LinkedHashMap<>();
                    series.keySet().forEach(k -> lat.put(k, new double[calls]));
                    for (int from = 0; from < calls; from += BLOCK) {
                        for (Map.Entry<String, Client> c : series.entrySet()) {
                            for (int i = from; i < Math.min(calls, from + BLOCK); i++) {
                                long t0 = System.nanoTime();
                                c.getValue().run(port, body);
                                lat.get(c.getKey())[i] = (System.nanoTime() - t0) / 1e6;
                            }
                        }
                    }
                    lat.forEach((k, v) -> p50s.get(k).add(Stats.percentile(v, 50)));
                }
            }
            double predictP50 = Stats.median(p50s.get("predict"));
            double baseline = Stats.median(p50s.get("JDK HttpClient"));
            System.out.printf(
                    "%s (%d KB request): predict in this JVM p50 %.2f ms%n",
                    model, request.length() / 1024, predictP50);
            for (String k : clients.keySet()) {
                double p50 = Stats.median(p50s.get(k));
                System.out.printf(
                        "  /run through %-17s p50 %7.2f ms  (%.2f ms over predict; %.2fx the JDK HttpClient's)%n",
                        k, p50, p50 - predictP50, p50 / baseline);
            }
        }
        kept.close();
    }

    private static void ok(int status) {
        if (status != 200) {
            throw new IllegalStateException("/run answered " + status);
        }
    }

    private static void viaUrlConnection(int port, byte[] body) throws IOException {
        HttpURLConnection c = (HttpURLConnection)
                URI.create("http://127.0.0.1:" + port + "/run").toURL().openConnection();
        c.setReadTimeout((int) TIMEOUT.toMillis());
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(body.length);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(body);
        }
        ok(c.getResponseCode());
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
    }
}
