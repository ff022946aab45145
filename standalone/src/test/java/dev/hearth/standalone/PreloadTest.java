package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.model.demo.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Stem cells and pre-loading through the real stack, on a platform of its own with one 640 MB
 * {@code djl:pytorch} stem cell and a fast pre-loader: a model's first call takes the stem cell
 * ({@code prewarmed}), and after its warm container is gone the pre-loader puts the model into the
 * new stem cell, so the next call starts {@code preloaded} without loading; a stem cell holding
 * another namespace's pre-load serves a different function only after dropping it.
 */
class PreloadTest {
    private static final int MEMORY = 640;
    private static final String IMAGE =
            "{\"image\":\"" + Base64.getEncoder().encodeToString(DemoModels.testImagePng(224, 224, 3)) + "\"}";
    private static Platform platform;
    private static Api guest;
    private static Api other;
    private static Api invoker;
    private static PoolWatch pool;
    private static Path resnet;
    private static Path mlp;

    @BeforeAll
    static void start() {
        Path dir = RunningPlatform.newDataDir("hearth-preload");
        resnet = DemoModels.resnet18(dir.resolve("models"));
        mlp = DemoModels.mlp(dir.resolve("models"));
        platform = Platform.start(PlatformSettings.ephemeral(
                        dir.resolve("data"),
                        Map.of(
                                "hearth.controller.namespaces.other",
                                RunningPlatform.OTHER_KEY,
                                "hearth.invoker.prewarm[0].kind",
                                "djl:pytorch",
                                "hearth.invoker.prewarm[0].memory-mb",
                                MEMORY,
                                "hearth.invoker.prewarm[0].count",
                                1,
                                "hearth.invoker.preload.interval",
                                "200ms",
                                // one stem cell, as configured: the scheduler's targets would add a second
                                "hearth.invoker.follow-scheduler",
                                false,
                                // rare: a first call only (the test's later gaps are all well under 5 min)
                                "hearth.invoker.cpu.rare-gap",
                                "300s"))
                .withInvokerMemoryMb(3072));
        guest = new Api(platform.apiHost(), platform.guestKey());
        other = guest.as(RunningPlatform.OTHER_KEY);
        invoker = new Api("http://127.0.0.1:" + platform.invokerPort(), platform.guestKey());
        pool = new PoolWatch(platform);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    private static String deploy(Api api, String key, Path bundle, String name) throws Exception {
        Api.Response upload = Actions.upload(platform.apiHost(), key, bundle);
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String digest = upload.json().path("digest").asString();
        ObjectNode body = Json.object();
        body.putObject("exec").put("kind", "djl:pytorch").put("digest", digest);
        body.putObject("limits").put("memory", MEMORY);
        Actions.create(api, name, body);
        return digest;
    }

    private static JsonNode invoke(Api api, String name, String body) {
        Api.Response r = api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static String startKind(JsonNode activation) {
        return InvokeTest.annotation(activation, "startKind").asString();
    }

    private static JsonNode containers() {
        return pool.containers();
    }

    /** Polls the pool until some container satisfies {@code test}; returns it. */
    private static JsonNode await(String what, Predicate<JsonNode> test, Duration timeout) throws InterruptedException {
        return pool.await(what, test, timeout, 100);
    }

    private static long pid(String containerId) {
        for (JsonNode c : invoker.get("/invoker/tensors").json().path("containers")) {
            if (c.path("id").asString().equals(containerId)) {
                return c.path("pid").asLong();
            }
        }
        throw new AssertionError("no pid for " + containerId);
    }

    private static Set<String> mappedStoreFiles(long pid) throws IOException {
        String root = invoker.get("/invoker/tensors").json().path("root").asString() + "/";
        Set<String> files = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            int at = line.indexOf(root);
            if (at >= 0) {
                files.add(line.substring(at + root.length()).trim());
            }
        }
        return files;
    }

    /** The store files the invoker recorded for a container (from its proxy's answers). */
    private static Set<String> digests(String containerId) {
        Set<String> out = new TreeSet<>();
        for (JsonNode c : invoker.get("/invoker/tensors?detail=true").json().path("containers")) {
            if (c.path("id").asString().equals(containerId)) {
                c.path("digests").forEach(d -> out.add(d.asString()));
            }
        }
        return out;
    }

    /** The pre-load's pages go when its buffers are collected, just after the answer: wait for it. */
    private static void awaitUnmapped(long pid, Set<String> files, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> still = new TreeSet<>(mappedStoreFiles(pid));
        still.retainAll(files);
        while (!still.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            still = new TreeSet<>(mappedStoreFiles(pid));
            still.retainAll(files);
        }
        assertThat(still)
                .as("no weight of the other namespace's pre-loaded model stays mapped")
                .isEmpty();
    }

    /** Whether the invoker (this JVM) may move containers back from nice 19: as root, as in CI. */
    private static boolean mayRenice() {
        return ProcessHandle.current().info().user().orElse("").equals("root");
    }

    /** The nice level of every thread of {@code pid} (field 19 of each task's stat, counted past the name). */
    private static Set<Integer> niceLevels(long pid) throws IOException {
        Set<Integer> levels = new TreeSet<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    levels.add(Integer.parseInt(
                            stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]));
                } catch (IOException e) {
                    // the thread exited
                }
            }
        }
        return levels;
    }

    private static boolean stemHolding(JsonNode c, String digest) {
        if (!c.path("state").asString().equals("prewarmed")) {
            return false;
        }
        for (JsonNode d : c.path("preloaded")) {
            if (d.asString().equals(digest)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aFunctionWhoseModelIsPreloadedStartsWithoutLoadingAndOtherNamespacesNeverSeeIt() throws Exception {
        await("prewarmed", c -> c.path("state").asString().equals("prewarmed"), Duration.ofSeconds(60));
        String digest = deploy(guest, platform.guestKey(), resnet, "resnet");

        JsonNode first = invoke(guest, "resnet", IMAGE);
        assertThat(startKind(first)).isEqualTo("prewarmed");
        JsonNode breakdown = InvokeTest.annotation(first, "initBreakdown");
        assertThat(breakdown.path("modelLoadMs").asLong()).isPositive();
        assertThat(breakdown.path("containerStartMs").asLong())
                .as("started before the call")
                .isZero();
        if (mayRenice()) {
            JsonNode served = await(
                    "warm for resnet", c -> c.path("action").asString("").endsWith("/resnet"), Duration.ofSeconds(5));
            assertThat(niceLevels(pid(served.path("id").asString())))
                    .as("a first call's function is rare: its container ran with ten times the CPU weight")
                    .containsOnly(-10);
        }
        assertThat(startKind(invoke(guest, "resnet", IMAGE))).isEqualTo("warm");

        // The warm container goes (crashes): the next call would be cold; the pre-loader prevents it.
        JsonNode warm =
                await("warm for resnet", c -> c.path("action").asString("").endsWith("/resnet"), Duration.ofSeconds(5));
        ProcessHandle.of(pid(warm.path("id").asString())).orElseThrow().destroyForcibly();
        JsonNode stem = await("holding the pre-load", c -> stemHolding(c, digest), Duration.ofSeconds(60));
        Set<String> preloadedFiles = mappedStoreFiles(pid(stem.path("id").asString()));
        if (mayRenice()) {
            assertThat(niceLevels(pid(stem.path("id").asString())))
                    .as("a stem cell and its pre-load run in the background")
                    .containsOnly(19);
        }
        assertThat(preloadedFiles)
                .as("the pre-loaded model's weights are mapped")
                .isNotEmpty();

        // Another namespace's function takes the only stem cell: it gets it only without the pre-load.
        deploy(other, RunningPlatform.OTHER_KEY, mlp, "mlp");
        StringBuilder tensor =
                new StringBuilder("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784],\"dtype\":\"float32\",\"data\":[");
        for (int i = 0; i < 784; i++) {
            tensor.append(i == 0 ? "" : ",").append(i % 7 / 7.0);
        }
        JsonNode otherRun = invoke(other, "mlp", tensor.append("]}]}").toString());
        assertThat(startKind(otherRun)).isEqualTo("prewarmed");
        Set<String> mlpOwn = digests(stem.path("id").asString());
        assertThat(mlpOwn).as("the MLP's own store files").isNotEmpty();
        Set<String> resnetOnly = new TreeSet<>(preloadedFiles);
        resnetOnly.removeAll(mlpOwn); // constant tensors both models have are legitimately the MLP's too
        assertThat(resnetOnly).isNotEmpty();
        awaitUnmapped(pid(stem.path("id").asString()), resnetOnly, Duration.ofSeconds(20));

        // A new stem cell is started and the model pre-loaded again: this call loads nothing.
        await("holding the pre-load again", c -> stemHolding(c, digest), Duration.ofSeconds(60));
        JsonNode before = containers();
        JsonNode third = invoke(guest, "resnet", IMAGE);
        assertThat(startKind(third))
                .as("pool before: %s; activation: %s", before, third.path("annotations"))
                .isEqualTo("preloaded");
        assertThat(InvokeTest.annotation(third, "initBreakdown")
                        .path("modelLoadMs")
                        .asLong())
                .isZero();
        assertThat(third.path("response").path("result"))
                .isEqualTo(first.path("response").path("result"));
        if (mayRenice()) {
            JsonNode bound = await(
                    "warm for resnet again",
                    c -> c.path("action").asString("").endsWith("/resnet"),
                    Duration.ofSeconds(5));
            assertThat(niceLevels(pid(bound.path("id").asString())))
                    .as("the pre-loaded stem cell left the background before it served the call, at the"
                            + " normal weight (the function is no longer rare)")
                    .containsOnly(0);
        }
    }
}
