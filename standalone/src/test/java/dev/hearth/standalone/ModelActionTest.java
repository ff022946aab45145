package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonParser;
import dev.hearth.common.json.Json;
import dev.hearth.model.bundle.ParamsFile;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.testsupport.ActionFixture;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Model actions through the real stack (gateway, controller, Kafka, invoker, process containers
 * running DJL on PyTorch): deploy, invoke, and compare with DJL called in this JVM on the same
 * weights; refusals at deploy and at invoke.
 */
class ModelActionTest {
    private static final Api API = RunningPlatform.guest();
    private static Path models;
    private static Path mlp;
    private static Path resnet;

    @BeforeAll
    static void buildModels() {
        models = RunningPlatform.newDataDir("hearth-models");
        mlp = DemoModels.mlp(models);
        resnet = DemoModels.resnet18(models);
    }

    private static ObjectNode inline(Path bundle) throws Exception {
        ObjectNode body = Json.object();
        body.putObject("exec")
                .put("kind", "djl:pytorch")
                .put("binary", true)
                .put("code", Base64.getEncoder().encodeToString(Files.readAllBytes(bundle)));
        return body;
    }

    private static float[] input(long seed) {
        float[] x = new float[784];
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
        }
        return x;
    }

    @Test
    void anMlpAnswersWhatDjlComputesOnTheSameWeights() throws Exception {
        String name = Actions.unique("mlp");
        Actions.create(API, name, inline(mlp));
        float[] x = input(11);
        ObjectNode request = mlpRequest(x);
        Api.Response r = API.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", request);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode out = r.json().path("response").path("result").path("outputs").get(0);
        assertThat(out.path("shape").toString()).isEqualTo("[1,10]");

        float[] expected = directMlp(x);
        for (int i = 0; i < expected.length; i++) {
            assertThat((float) out.path("data").get(i).asDouble())
                    .as("logit " + i)
                    .isEqualTo(expected[i]);
        }
        JsonNode breakdown = InvokeTest.annotation(r.json(), "initBreakdown");
        assertThat(breakdown).as("a cold start records its breakdown").isNotNull();
        assertThat(breakdown.has("engineInitMs")).isTrue();
        assertThat(breakdown.has("modelLoadMs")).isTrue();
        assertThat(breakdown.has("runtimeStartMs")).isTrue();
        assertThat(breakdown.has("containerStartMs")).isTrue();
        assertThat(InvokeTest.annotation(r.json(), "inferenceTime")).isNotNull();
        assertThat(InvokeTest.annotation(r.json(), "kind").asString()).isEqualTo("djl:pytorch");
    }

    /** The MLP's JSON-tensors request for {@code x}. */
    private static ObjectNode mlpRequest(float[] x) {
        ObjectNode request = Json.object();
        ObjectNode in = request.putArray("inputs").addObject().put("name", "x").put("dtype", "float32");
        in.putArray("shape").add(1).add(784);
        ArrayNode data = in.putArray("data");
        for (float v : x) {
            data.add(v);
        }
        return request;
    }

    @Test
    void aCallAloneComputesOnEveryCoreAndCallsRunningAtOnceSplitThem() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        String name = Actions.unique("mlp-cores");
        Actions.create(API, name, inline(mlp));
        String invoke = "/api/v1/namespaces/_/actions/" + name + "?blocking=true";
        Api.Response alone = API.post(invoke, mlpRequest(input(3)));
        assertThat(alone.status()).as(alone.body()).isEqualTo(200);
        assertThat(InvokeTest.annotation(alone.json(), "cpuThreads").asInt())
                .as("alone on the invoker")
                .isEqualTo(cores);

        String sleeper = Actions.unique("sleeper");
        Actions.create(API, sleeper, Actions.body(ActionFixture.SLEEP));
        CompletableFuture<Api.Response> sleeping = CompletableFuture.supplyAsync(
                () -> API.post("/api/v1/namespaces/_/actions/" + sleeper + "?blocking=true", "{\"ms\":3000}"));
        awaitBusy(sleeper, Duration.ofSeconds(20));
        Api.Response beside = API.post(invoke, mlpRequest(input(3)));
        assertThat(beside.status()).as(beside.body()).isEqualTo(200);
        assertThat(InvokeTest.annotation(beside.json(), "cpuThreads").asInt())
                .as("beside the sleeper's first call (rare: share 10), this second call (share 1) gets"
                        + " round(cores * 1 / 11), at least 1")
                .isEqualTo((int) Math.max(1, Math.round(cores / 11.0)));
        assertThat(sleeping.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    /** Polls the invoker's pool until a container of {@code action} is busy with an activation. */
    private static void awaitBusy(String action, Duration timeout) throws InterruptedException {
        new PoolWatch(RunningPlatform.get())
                .await(
                        "busy with " + action,
                        c -> "busy".equals(c.path("state").asString())
                                && c.path("action").asString().endsWith("/" + action),
                        timeout,
                        20);
    }

    /** The baseline: DJL in this JVM, the bundle's own parameters, the same input. */
    private static float[] directMlp(float[] x) throws Exception {
        Path params = Files.createTempFile("mlp", ".params");
        try (ZipFile zip = new ZipFile(mlp.toFile());
                InputStream in = zip.getInputStream(zip.getEntry("model.params"))) {
            Files.copy(in, params, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Block block = new Mlp(784, 10, new int[] {128, 64});
            block.initialize(m, DataType.FLOAT32, new Shape(1, 784));
            ParamsFile.read(params, block, m);
            NDArray input = m.create(x, new Shape(1, 784));
            NDList out = block.forward(new ParameterStore(m, false), new NDList(input), false);
            return out.singletonOrThrow().toFloatArray();
        } finally {
            Files.deleteIfExists(params);
        }
    }

    @Test
    void aResnetUploadedByDigestClassifiesAnImageLikeTheSameModelInThisJvm() throws Exception {
        Api.Response upload = uploadArtifact(resnet);
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String digest = upload.json().path("digest").asString();
        String name = Actions.unique("resnet");
        ObjectNode body = Json.object();
        body.putObject("exec").put("kind", "djl:pytorch").put("digest", digest);
        body.putObject("limits").put("memory", 1024);
        Actions.create(API, name, body);

        String image = Base64.getEncoder().encodeToString(DemoModels.testImagePng(320, 240, 5));
        String request = "{\"image\":\"" + image + "\"}";
        Api.Response r = API.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true&result=true", request);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode predictions = r.json().path("predictions");
        assertThat(predictions.size()).isEqualTo(5);

        try (LoadedModel local = new ModelHost().load(resnet)) {
            com.google.gson.JsonObject expected =
                    local.predict(JsonParser.parseString(request).getAsJsonObject());
            var expectedPredictions = expected.getAsJsonArray("predictions");
            for (int i = 0; i < 5; i++) {
                var e = expectedPredictions.get(i).getAsJsonObject();
                assertThat(predictions.get(i).path("label").asString())
                        .isEqualTo(e.get("label").getAsString());
                assertThat(predictions.get(i).path("probability").asDouble())
                        .isCloseTo(e.get("probability").getAsDouble(), org.assertj.core.data.Offset.offset(1e-6));
            }
        }
    }

    @Test
    void aWrongShapeIsADeveloperErrorNamingTheExpectedShape() throws Exception {
        String name = Actions.unique("mlp-shape");
        Actions.create(API, name, inline(mlp));
        String bad = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"dtype\":\"float32\",\"data\":[1,2,3]}]}";
        Api.Response r = API.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", bad);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.json().path("response").path("statusCode").asInt()).isEqualTo(2);
        assertThat(r.json().path("response").path("result").path("error").asString())
                .contains("[-1,784]");
        Api.Response notAnImage =
                API.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", "{\"image\":\"bm90IGFuIGltYWdl\"}");
        assertThat(notAnImage.status()).isEqualTo(502);
    }

    @Test
    void brokenBundlesAreRefusedAtDeployAndNothingIsCreated() throws Exception {
        byte[] mlpParams;
        try (ZipFile zip = new ZipFile(mlp.toFile());
                InputStream in = zip.getInputStream(zip.getEntry("model.params"))) {
            mlpParams = in.readAllBytes();
        }
        String resnetManifest = """
                {"format":"djl-params","model":"model.params",
                 "architecture":{"name":"resnet","args":{"layers":18,"classes":10,"imageSize":224}},
                 "input":{"adapter":"image","width":224,"height":224},
                 "output":{"adapter":"top-k","k":3}}""";
        Map<String, Path> cases = Map.of(
                "not a zip", Files.writeString(models.resolve("junk.zip"), "this is not a zip"),
                "unknown architecture",
                        DemoModels.bundle(
                                models,
                                "arch",
                                resnetManifest.replace("resnet", "transformer"),
                                Map.of("model.params", mlpParams)),
                "mismatched parameters",
                        DemoModels.bundle(models, "mismatch", resnetManifest, Map.of("model.params", mlpParams)),
                "unknown adapter",
                        DemoModels.bundle(
                                models,
                                "adapter",
                                resnetManifest.replace("\"image\"", "\"audio\""),
                                Map.of("model.params", mlpParams)));
        for (var c : cases.entrySet()) {
            String name = Actions.unique("broken");
            Api.Response r = API.put("/api/v1/namespaces/_/actions/" + name, inline(c.getValue()));
            assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().path("error").asString()).as(c.getKey()).isNotBlank();
            assertThat(API.get("/api/v1/namespaces/_/actions/" + name).status())
                    .as(c.getKey())
                    .isEqualTo(404);
        }
    }

    @Test
    void anUploadOverTheLimitIs413() throws Exception {
        Path big = models.resolve("big.bin");
        try (var out = Files.newOutputStream(big)) {
            byte[] mb = new byte[1 << 20];
            for (int i = 0; i < RunningPlatform.UPLOAD_LIMIT_MB + 1; i++) {
                out.write(mb);
            }
        }
        Api.Response r = uploadArtifact(big);
        assertThat(r.status()).as(r.body()).isEqualTo(413);
        assertThat(r.json().path("code").asString()).isNotBlank();
    }

    private static Api.Response uploadArtifact(Path file) throws Exception {
        return Actions.upload(file);
    }
}
