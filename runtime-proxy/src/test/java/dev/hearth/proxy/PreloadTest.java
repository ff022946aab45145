package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /preload}, {@code /offload} and {@code /init} of a pre-loaded model, on real proxy processes with
 * the full class path. Each proxy gets its own {@code java.io.tmpdir}: a pre-loaded zip stays extracted
 * there ({@code hearth-bundle-*}) until the model is closed, which is how these tests see an offload
 * happen.
 */
class PreloadTest {

    static final String PRELOAD_403 = "Cannot preload into an initialized container.";

    @TempDir
    static Path models;

    static Path mlp;
    static Path resnet18;
    static String mlpDigest;
    static String resnet18Digest;

    @TempDir
    Path dir;

    final List<ProxyProcess> proxies = new ArrayList<>();

    @BeforeAll
    static void buildModels() {
        mlp = DemoModels.mlp(models);
        resnet18 = DemoModels.resnet18(models);
        mlpDigest = sha256(mlp);
        resnet18Digest = sha256(resnet18);
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (ProxyProcess p : proxies) {
            p.close();
        }
    }

    @Test
    void initOfAPreloadedDigestBindsItWithoutLoadingAndRunsLikeANormalLoad() throws IOException {
        ProxyProcess p = start(null);
        ProxyProcess.Response preload = preload(p, mlp, mlpDigest);
        assertThat(preload.status()).as("%s", preload.body()).isEqualTo(200);
        assertThat(preload.body().get("digest").getAsString()).isEqualTo(mlpDigest);
        assertThat(preload.body().get("already").getAsBoolean()).isFalse();
        assertThat(preload.body().getAsJsonObject("timings").get("modelLoadMs").getAsLong())
                .isNotNegative();
        assertThat(preload.body().getAsJsonObject("timings").get("warmUpMs").getAsLong())
                .as("example requests ran through the pre-loaded model")
                .isNotNegative();
        assertThat(preload.body().getAsJsonObject("timings").get("warmUps").getAsInt())
                .as("enough of them for its code paths to be compiled")
                .isEqualTo(ActionHost.PRELOAD_WARM_UPS_DEFAULT);
        assertThat(preload.body().getAsJsonObject("weights").get("privateBytes").getAsLong())
                .isPositive();
        assertThat(p.run(ModelKindTest.tensors(784)).status())
                .as("a pre-load does not initialise the container")
                .isEqualTo(500);
        p.stdoutUntilSentinel();
        p.stderrUntilSentinel();

        ProxyProcess.Response init = p.init(modelInit(mlp, mlpDigest));
        assertThat(init.status()).as("%s", init.body()).isEqualTo(200);
        JsonObject timings = init.body().getAsJsonObject("timings");
        assertThat(timings.get("preloaded").getAsBoolean()).isTrue();
        assertThat(timings.get("modelLoadMs").getAsLong()).isZero();
        assertThat(timings.get("engineInitMs").getAsLong()).isZero();
        assertThat(init.body().getAsJsonObject("weights"))
                .isEqualTo(preload.body().getAsJsonObject("weights"));
        assertThat(bundleDirs(p)).as("bound, not closed").hasSize(1);

        ProxyProcess normal = start(null);
        ProxyProcess.Response normalInit = normal.init(modelInit(mlp, mlpDigest));
        assertThat(normalInit.body().getAsJsonObject("timings").get("preloaded").getAsBoolean())
                .isFalse();
        ProxyProcess.Response run = p.run(ModelKindTest.tensors(784));
        assertThat(run.status()).as("%s", run.body()).isEqualTo(200);
        assertThat(run.body()).isEqualTo(normal.run(ModelKindTest.tensors(784)).body());
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
    }

    @Test
    void initBindingOnePreloadClosesTheOthers() throws IOException {
        Path root = dir.resolve("tensors");
        ProxyProcess p = start(root);
        ProxyProcess.Response mlpPreload = preload(p, mlp, mlpDigest);
        assertThat(mlpPreload.status()).as("%s", mlpPreload.body()).isEqualTo(200);
        ProxyProcess.Response resnet = preload(p, resnet18, resnet18Digest);
        assertThat(resnet.status()).as("%s", resnet.body()).isEqualTo(200);
        Set<Path> resnetFiles = storeFiles(root, resnet.body());
        resnetFiles.removeAll(storeFiles(root, mlpPreload.body())); // a few tensors (zeros) are in both
        assertThat(resnetFiles).isNotEmpty();
        assertThat(SharedTensorsTest.mappedStoreFiles(p, root)).containsAll(resnetFiles);

        JsonArray listed = p.get("/stats").body().getAsJsonArray("preloaded");
        assertThat(digests(listed)).containsExactly(mlpDigest, resnet18Digest);
        JsonObject entry = listed.get(1).getAsJsonObject();
        assertThat(entry.get("sharedBytes").getAsLong()).isPositive();
        assertThat(entry.get("privateBytes").getAsLong()).isZero();
        assertThat(entry.get("modelLoadMs").getAsLong()).isNotNegative();
        assertThat(bundleDirs(p)).hasSize(2);

        ProxyProcess.Response init = p.init(modelInit(mlp, mlpDigest));
        assertThat(init.status()).as("%s", init.body()).isEqualTo(200);
        assertThat(init.body().getAsJsonObject("timings").get("preloaded").getAsBoolean())
                .isTrue();
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        assertThat(bundleDirs(p)).as("ResNet-18 closed, the MLP bound").hasSize(1);
        assertThat(mappedOnceCleanersRan(p, root, resnetFiles))
                .as("ResNet-18's store files are unmapped")
                .doesNotContainAnyElementsOf(resnetFiles)
                .containsAll(storeFiles(root, init.body()));
        assertThat(p.run(ModelKindTest.tensors(784)).status()).isEqualTo(200);
    }

    @Test
    void initOfAnotherModelOffloadsEveryPreloadAndLoadsNormally() throws IOException {
        ProxyProcess p = start(null);
        assertThat(preload(p, resnet18, resnet18Digest).status()).isEqualTo(200);
        ProxyProcess.Response init = p.init(modelInit(mlp, mlpDigest));
        assertThat(init.status()).as("%s", init.body()).isEqualTo(200);
        JsonObject timings = init.body().getAsJsonObject("timings");
        assertThat(timings.get("preloaded").getAsBoolean()).isFalse();
        assertThat(timings.get("modelLoadMs").getAsLong()).isNotNegative();
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        assertThat(bundleDirs(p)).as("only the MLP's own extraction").hasSize(1);
        assertThat(p.run(ModelKindTest.tensors(784)).status()).isEqualTo(200);
    }

    @Test
    void aJavaInitOrAFailedInitOffloadsEveryPreload() throws IOException {
        ProxyProcess failed = start(null);
        assertThat(preload(failed, mlp, mlpDigest).status()).isEqualTo(200);
        ProxyProcess.Response bad = failed.init(modelInit(invalidBundle(), "cd".repeat(32)));
        assertThat(bad.status()).as("%s", bad.body()).isEqualTo(502);
        assertThat(failed.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        assertThat(bundleDirs(failed)).isEmpty();

        ProxyProcess java = start(null);
        assertThat(preload(java, mlp, mlpDigest).status()).isEqualTo(200);
        Path echo = ActionJars.build(dir.resolve("jars"), ActionFixture.ECHO);
        assertThat(java.init(echo, ActionFixture.ECHO.mainClass()).status()).isEqualTo(200);
        assertThat(java.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        assertThat(bundleDirs(java)).isEmpty();
    }

    @Test
    void offloadClosesAPreloadAndSaysWhenThereWasNone() throws IOException {
        Path root = dir.resolve("tensors");
        ProxyProcess p = start(root);
        ProxyProcess.Response preload = preload(p, mlp, mlpDigest);
        assertThat(preload.status()).as("%s", preload.body()).isEqualTo(200);
        Set<Path> mlpFiles = storeFiles(root, preload.body());
        assertThat(SharedTensorsTest.mappedStoreFiles(p, root)).isNotEmpty().isEqualTo(mlpFiles);
        assertThat(bundleDirs(p)).hasSize(1);

        ProxyProcess.Response off = offload(p, mlpDigest);
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.body().get("ok").getAsBoolean()).isTrue();
        assertThat(off.body().get("offloaded").getAsBoolean()).isTrue();
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        assertThat(bundleDirs(p)).as("closed").isEmpty();
        assertThat(mappedOnceCleanersRan(p, root, mlpFiles))
                .as("its store files are unmapped")
                .isEmpty();

        assertThat(offload(p, mlpDigest).body().get("offloaded").getAsBoolean()).isFalse();
        assertThat(offload(p, "ab".repeat(32)).body().get("offloaded").getAsBoolean())
                .isFalse();
        ProxyProcess.Response again = preload(p, mlp, mlpDigest);
        assertThat(again.body().get("already").getAsBoolean())
                .as("offloaded means loaded again")
                .isFalse();
    }

    @Test
    void preloadingTheSameDigestTwiceLoadsOnce() throws IOException {
        ProxyProcess p = start(null);
        assertThat(preload(p, mlp, mlpDigest).body().get("already").getAsBoolean())
                .isFalse();
        ProxyProcess.Response second = preload(p, mlp, mlpDigest);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().get("already").getAsBoolean()).isTrue();
        assertThat(second.body().getAsJsonObject("timings").get("modelLoadMs").getAsLong())
                .isZero();
        assertThat(second.body().getAsJsonObject("weights").get("privateBytes").getAsLong())
                .isPositive();
        assertThat(bundleDirs(p)).as("extracted once").hasSize(1);
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).hasSize(1);
    }

    @Test
    void anInvalidBundleIs502AndLeavesNothingPreloaded() throws IOException {
        ProxyProcess p = start(null);
        ProxyProcess.Response bad = preload(p, invalidBundle(), "cd".repeat(32));
        assertThat(bad.status()).isEqualTo(502);
        assertThat(bad.body().get("error").getAsString())
                .isEqualTo("The model bundle is invalid: architecture 'resnet' needs layers 18, 34 or 50, got 20");
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        assertThat(bundleDirs(p)).isEmpty();

        assertThat(preload(p, dir.resolve("missing.zip"), "cd".repeat(32)).status())
                .isEqualTo(502);
        assertThat(preload(p, mlp, mlpDigest).status())
                .as("the proxy still pre-loads")
                .isEqualTo(200);
    }

    @Test
    void preloadAndOffloadAfterInitAre403() {
        ProxyProcess p = start(null);
        assertThat(p.init(modelInit(mlp, mlpDigest)).status()).isEqualTo(200);
        ProxyProcess.Response preload = preload(p, resnet18, resnet18Digest);
        assertThat(preload.status()).isEqualTo(403);
        assertThat(preload.body().get("error").getAsString()).isEqualTo(PRELOAD_403);
        assertThat(preload(p, mlp, mlpDigest).status())
                .as("not even the bound model's digest")
                .isEqualTo(403);
        assertThat(offload(p, mlpDigest).status())
                .as("a bound container offloads nothing")
                .isEqualTo(403);
        assertThat(p.run(ModelKindTest.tensors(784)).status()).isEqualTo(200);
    }

    @Test
    void aJavaProxyListsNoPreloadsRefusesMalformedOnesAndAnyAfterInit() {
        ProxyProcess p = ProxyProcess.start();
        proxies.add(p);
        Path echo = ActionJars.build(dir.resolve("jars"), ActionFixture.ECHO);
        assertThat(p.get("/stats").body().getAsJsonArray("preloaded")).isEmpty();
        ProxyProcess.Response malformed = preload(p, mlp, "not-a-digest");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("error").getAsString()).contains("\"digest\"");
        assertThat(p.post("/offload", "{\"value\":{}}").status()).isEqualTo(400);
        assertThat(p.post("/preload", "not json").status()).isEqualTo(400);
        assertThat(p.init(echo, ActionFixture.ECHO.mainClass()).status()).isEqualTo(200);
        assertThat(preload(p, mlp, mlpDigest).status()).isEqualTo(403);
    }

    // ---- fixtures

    ProxyProcess start(Path tensorRoot) {
        Path tmp = dir.resolve("tmp-" + proxies.size());
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> flags = new ArrayList<>(RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        flags.addAll(RuntimeProxy.MODEL_JVM_FLAGS);
        flags.add("-Djava.io.tmpdir=" + tmp);
        ProxyProcess p = ProxyProcess.startWithModels(
                flags, tensorRoot == null ? Map.of() : Map.of(RuntimeProxy.TENSOR_ROOT_ENV, tensorRoot.toString()));
        proxies.add(p);
        return p;
    }

    /** The bundles {@code p} holds extracted: one per open model loaded from a zip. */
    List<Path> bundleDirs(ProxyProcess p) throws IOException {
        Path tmp = dir.resolve("tmp-" + proxies.indexOf(p));
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith("hearth-bundle-"))
                    .toList();
        }
    }

    /**
     * The store files {@code p} maps, once none of {@code unmapping} is left or 20 s have passed: a
     * buffer's mapping goes when its cleaner runs, on the JVM's reference-handler thread right after the
     * collection an offload asks for, so it may lag the answer a little.
     */
    static Set<Path> mappedOnceCleanersRan(ProxyProcess p, Path root, Set<Path> unmapping) throws IOException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        Set<Path> mapped = SharedTensorsTest.mappedStoreFiles(p, root);
        while (mapped.stream().anyMatch(unmapping::contains) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            mapped = SharedTensorsTest.mappedStoreFiles(p, root);
        }
        return mapped;
    }

    static ProxyProcess.Response preload(ProxyProcess p, Path bundle, String digest) {
        JsonObject value = new JsonObject();
        value.addProperty("kind", "djl:pytorch");
        value.addProperty("codePath", bundle.toAbsolutePath().toString());
        value.addProperty("digest", digest);
        return p.post("/preload", wrap(value));
    }

    static ProxyProcess.Response offload(ProxyProcess p, String digest) {
        JsonObject value = new JsonObject();
        value.addProperty("digest", digest);
        return p.post("/offload", wrap(value));
    }

    static JsonObject modelInit(Path bundle, String digest) {
        JsonObject value = ModelKindTest.modelInit(bundle);
        value.addProperty("digest", digest);
        return value;
    }

    static JsonObject wrap(JsonObject value) {
        JsonObject body = new JsonObject();
        body.add("value", value);
        return body;
    }

    Path invalidBundle() throws IOException {
        return DemoModels.bundle(
                Files.createTempDirectory(dir, "bad"), "bad", """
                {"format":"djl-params","model":"model.params",
                 "architecture":{"name":"resnet","args":{"layers":20}},
                 "input":{"adapter":"image"},"output":{"adapter":"top-k"}}
                """, Map.of("model.params", new byte[8]));
    }

    static Set<Path> storeFiles(Path root, JsonObject answer) {
        Set<Path> files = new HashSet<>();
        for (JsonElement d : answer.getAsJsonObject("weights").getAsJsonArray("storeDigests")) {
            files.add(root.resolve(d.getAsString()));
        }
        return files;
    }

    static List<String> digests(JsonArray preloaded) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : preloaded) {
            out.add(e.getAsJsonObject().get("digest").getAsString());
        }
        return out;
    }

    static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
