package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.testsupport.ActionJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code djl:pytorch} kind and {@code /engine}, on real proxy processes with the full class path. */
class ModelKindTest {

    @TempDir
    static Path dir;

    static Path mlp;
    static Path resnet18;

    ProxyProcess proxy;

    @BeforeAll
    static void buildModels() {
        mlp = DemoModels.mlp(dir);
        resnet18 = DemoModels.resnet18(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ProxyProcess start() {
        List<String> flags = new java.util.ArrayList<>(RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        flags.addAll(RuntimeProxy.MODEL_JVM_FLAGS);
        proxy = ProxyProcess.startWithModels(flags);
        return proxy;
    }

    static JsonObject modelInit(Path bundle) {
        JsonObject value = new JsonObject();
        value.addProperty("kind", "djl:pytorch");
        value.addProperty("name", bundle.getFileName().toString());
        value.addProperty("codePath", bundle.toAbsolutePath().toString());
        return value;
    }

    @Test
    void mlpInitsEagerlyAndRunsTensors() {
        ProxyProcess p = start();
        ProxyProcess.Response init = p.init(modelInit(mlp));
        assertThat(init.status()).as("%s", init.body()).isEqualTo(200);
        JsonObject timings = init.body().getAsJsonObject("timings");
        assertThat(timings.get("engineInitMs").getAsLong()).isPositive();
        assertThat(timings.get("modelLoadMs").getAsLong()).isNotNegative();

        ProxyProcess.Response run = p.run(tensors(784));
        assertThat(run.status()).as("%s", run.body()).isEqualTo(200);
        JsonObject out = run.body().getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertThat(out.get("name").getAsString()).isEqualTo("logits");
        assertThat(out.getAsJsonArray("data")).hasSize(10);
        assertThat(Double.parseDouble(
                        run.headers().firstValue("X-Hearth-Inference-Ms").orElseThrow()))
                .isPositive();
        assertThat(p.stdoutUntilSentinel()).isEmpty();
        assertThat(p.stderrUntilSentinel())
                .as("no SLF4J or native-access warnings in the activation's logs")
                .isEmpty();
    }

    @Test
    void resnet18ClassifiesABase64Image() {
        ProxyProcess p = start();
        JsonObject value = modelInit(resnet18);
        value.remove("codePath");
        value.addProperty("code", ActionJars.base64(resnet18));
        assertThat(p.init(value).status()).isEqualTo(200);
        JsonObject image = new JsonObject();
        image.addProperty("image", Base64.getEncoder().encodeToString(DemoModels.testImagePng(300, 240, 5)));
        ProxyProcess.Response run = p.run(image);
        assertThat(run.status()).as("%s", run.body()).isEqualTo(200);
        JsonArray predictions = run.body().getAsJsonArray("predictions");
        assertThat(predictions).hasSize(5);
        assertThat(predictions.get(0).getAsJsonObject().get("label").getAsString())
                .startsWith("class-");
        assertThat(run.headers().firstValue("X-Hearth-Inference-Ms")).isPresent();
        assertThat(p.stderrUntilSentinel())
                .as("libtorch's per-pass warnings (NNPACK on a CPU it does not support) are not in the logs")
                .isEmpty();
    }

    @Test
    void badInputIs502NamingTheExpectedShape() {
        ProxyProcess p = start();
        assertThat(p.init(modelInit(mlp)).status()).isEqualTo(200);
        ProxyProcess.Response run = p.run(tensors(3));
        assertThat(run.status()).isEqualTo(502);
        assertThat(run.body().get("error").getAsString())
                .isEqualTo("input 'x' has shape [1,3] but the model expects [-1,784] (float32)");
        p.stdoutUntilSentinel();
        p.stderrUntilSentinel();
        assertThat(p.run(tensors(784)).status()).as("the proxy still serves").isEqualTo(200);
    }

    @Test
    void cpuThreadsNameTheForwardPassThreadsAndABadCountIs400() {
        ProxyProcess p = start();
        assertThat(p.init(modelInit(mlp)).status()).isEqualTo(200);
        assertThat(intraOpThreads(p)).as("libtorch's default").isPositive();
        for (int threads : new int[] {1, 3, 1}) {
            JsonObject body = new JsonObject();
            body.add("value", tensors(784));
            body.addProperty("cpu_threads", threads);
            ProxyProcess.Response run = p.post("/run", body);
            assertThat(run.status()).as("%s", run.body()).isEqualTo(200);
            p.stdoutUntilSentinel();
            p.stderrUntilSentinel();
            assertThat(intraOpThreads(p)).isEqualTo(threads);
        }
        assertThat(p.run(tensors(784)).status()).isEqualTo(200);
        p.stdoutUntilSentinel();
        p.stderrUntilSentinel();
        assertThat(intraOpThreads(p))
                .as("a /run without cpu_threads leaves the count")
                .isEqualTo(1);

        for (String bad : List.of("0", "2.5", "\"two\"", "4096", "[2]")) {
            ProxyProcess.Response run = p.post("/run", "{\"value\":{},\"cpu_threads\":" + bad + "}");
            assertThat(run.status()).as(bad).isEqualTo(400);
            assertThat(run.body().get("error").getAsString())
                    .startsWith("The run request's \"cpu_threads\" must be a whole number from 1 to 1024");
            p.stdoutUntilSentinel();
            p.stderrUntilSentinel();
        }
        assertThat(intraOpThreads(p)).as("a refused request changes nothing").isEqualTo(1);
    }

    private static int intraOpThreads(ProxyProcess p) {
        return p.get("/stats").body().get("intraOpThreads").getAsInt();
    }

    @Test
    void badBundleAtInitIs502WithTheValidatorsMessage() throws Exception {
        ProxyProcess p = start();
        Path bad = DemoModels.bundle(
                Files.createTempDirectory(dir, "bad"), "bad", """
                {"format":"djl-params","model":"model.params",
                 "architecture":{"name":"resnet","args":{"layers":20}},
                 "input":{"adapter":"image"},"output":{"adapter":"top-k"}}
                """, java.util.Map.of("model.params", new byte[8]));
        ProxyProcess.Response init = p.init(modelInit(bad));
        assertThat(init.status()).isEqualTo(502);
        assertThat(init.body().get("error").getAsString())
                .isEqualTo("The model bundle is invalid: architecture 'resnet' needs layers 18, 34 or 50, got 20");
        assertThat(p.init(modelInit(mlp)).status())
                .as("a failed init leaves the proxy initializable")
                .isEqualTo(200);
    }

    @Test
    void engineEndpointInitialisesOnce() {
        ProxyProcess p = start();
        ProxyProcess.Response first = p.post("/engine", "{}");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().get("engine").getAsString()).isEqualTo("PyTorch");
        assertThat(first.body().get("version").getAsString()).startsWith("2.7.1");
        assertThat(first.body().get("engineInitMs").getAsLong()).isPositive();
        assertThat(first.body().get("buildWarmUpMs").getAsLong())
                .as("the first /engine also runs the model-building path once")
                .isNotNegative();
        assertThat(first.body().get("loadWarmUpMs").getAsLong())
                .as("and the store's all-tensors-present load path, on a throw-away model")
                .isNotNegative();
        ProxyProcess.Response again = p.post("/engine", "{}");
        assertThat(again.body().get("engineInitMs").getAsLong()).isZero();
        assertThat(again.body().has("buildWarmUpMs")).isFalse();
        assertThat(again.body().has("loadWarmUpMs")).isFalse();
        ProxyProcess.Response init = p.init(modelInit(mlp));
        JsonObject timings = init.body().getAsJsonObject("timings");
        assertThat(timings.get("engineInitMs").getAsLong()).isZero();
        assertThat(timings.getAsJsonObject("loadPhases").keySet()).contains("bundleMs", "buildMs", "weightsMs");
    }

    @Test
    void javaActionCanUseDjlFromTheProxyClassPath() throws Exception {
        Path jar = djlActionJar();
        ProxyProcess p = start();
        JsonObject value = new JsonObject();
        value.addProperty("main", "com.example.Sum");
        value.addProperty("codePath", jar.toString());
        ProxyProcess.Response init = p.init(value);
        assertThat(init.status()).as("%s", init.body()).isEqualTo(200);
        assertThat(init.body().getAsJsonObject("timings").get("loadMs").getAsLong())
                .isNotNegative();
        ProxyProcess.Response run = p.run(new JsonObject());
        assertThat(run.status()).as("%s", run.body()).isEqualTo(200);
        assertThat(run.body().get("sum").getAsFloat()).isEqualTo(6f);
        assertThat(p.stderrUntilSentinel())
                .as("no SLF4J warning in the activation's logs")
                .isEmpty();
    }

    @Test
    void modelFlagsWorkWithAnAppCdsArchiveOfTheirOwn() throws Exception {
        List<String> flags = new java.util.ArrayList<>(RuntimeProxy.jvmFlags(dir.resolve("model-proxy.jsa")));
        flags.addAll(RuntimeProxy.MODEL_JVM_FLAGS);
        for (int i = 0; i < 2; i++) {
            try (ProxyProcess p = ProxyProcess.startWithModels(flags)) {
                assertThat(p.post("/engine", "{}").status()).isEqualTo(200);
                p.process.destroy();
                p.process.waitFor();
            }
        }
    }

    @Test
    void theEngineWarmUpRunsTheImagePathSoItsClassesAreInTheClassCache() throws Exception {
        Path log = dir.resolve("engine-classes.log");
        try (ProxyProcess p = ProxyProcess.startWithModels(List.of("-Xlog:class+load=info:file=" + log))) {
            assertThat(p.post("/engine", "{}").status()).isEqualTo(200);
        }
        assertThat(Files.readString(log))
                .as("a stem cell, and the training run of the proxies' AOT cache, decode and scale an image once")
                .contains("dev.hearth.model.adapter.ImageInput ")
                .contains("javax.imageio.ImageIO ")
                .contains("com.sun.imageio.plugins.png.PNGImageReader ");
    }

    @Test
    void javaActionsLoadNoDjlOrModelClasses() throws Exception {
        Path log = dir.resolve("classes.log");
        proxy = ProxyProcess.startWithModels(List.of("-Xlog:class+load=info:file=" + log));
        Path echo = ActionJars.build(dir, dev.hearth.testsupport.ActionFixture.ECHO);
        assertThat(proxy.init(echo, dev.hearth.testsupport.ActionFixture.ECHO.mainClass())
                        .status())
                .isEqualTo(200);
        assertThat(proxy.run(new JsonObject()).status()).isEqualTo(200);
        proxy.stdoutUntilSentinel();
        String loaded = Files.readString(log);
        assertThat(loaded)
                .contains("dev.hearth.proxy.ActionHost")
                .doesNotContain("ai.djl.")
                .doesNotContain("dev.hearth.model.")
                .doesNotContain("dev.hearth.proxy.DjlModel")
                .doesNotContain("org.slf4j");
    }

    static JsonObject tensors(int n) {
        JsonArray data = new JsonArray();
        for (int i = 0; i < n; i++) {
            data.add(i / (float) n);
        }
        JsonObject x = new JsonObject();
        x.addProperty("name", "x");
        JsonArray shape = new JsonArray();
        shape.add(1);
        shape.add(n);
        x.add("shape", shape);
        x.add("data", data);
        JsonArray inputs = new JsonArray();
        inputs.add(x);
        JsonObject request = new JsonObject();
        request.add("inputs", inputs);
        return request;
    }

    /** A java action that sums [1, 2, 3] with ai.djl.ndarray, compiled against Gson and DJL's api jar. */
    private static Path djlActionJar() throws Exception {
        String source = """
                package com.example;
                import ai.djl.ndarray.NDManager;
                import com.google.gson.JsonObject;
                public class Sum {
                    public static JsonObject main(JsonObject args) {
                        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
                            JsonObject out = new JsonObject();
                            out.addProperty("sum", m.create(new float[] {1, 2, 3}).sum().getFloat());
                            return out;
                        }
                    }
                }
                """;
        return ActionJars.build(
                dir.resolve("djl-action"),
                Map.of("com.example.Sum", source),
                List.of(ActionJars.codeSource(NDManager.class)));
    }
}
