package dev.hearth.model.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.translate.NoopTranslator;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hearth.model.adapter.BadInputException;
import dev.hearth.model.bundle.ParamsFile;
import dev.hearth.model.demo.DemoModels;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading bundles and predicting: the same numbers as DJL called directly, and bad input named precisely. */
class ModelHostTest {

    @TempDir
    Path dir;

    private final ModelHost host = new ModelHost();

    @Test
    void engineIsPyTorchAndInitialisesOnce() {
        EngineStatus first = host.engine();
        EngineStatus again = host.engine();
        assertThat(first.name()).isEqualTo("PyTorch");
        assertThat(first.version()).startsWith("2.7.1");
        assertThat(again.initMs()).isZero();
    }

    @Test
    void warmingTheBuildPathLeavesLoadingIntact() throws Exception {
        assertThat(host.warmUpBuildPath()).isNotNegative();
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            assertThat(model.manifest().architecture()).isNotBlank();
        }
    }

    @Test
    void mlpPredictsWhatDjlComputesOnTheSameWeights() throws Exception {
        float[] x = new float[784];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        JsonObject out;
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            assertThat(model.manifest().architecture()).isEqualTo("mlp 784-128-64-10");
            assertThat(model.modelLoadMs()).isNotNegative();
            out = model.predict(tensorsRequest("x", new long[] {1, 784}, "float32", x));
            assertThat(model.lastInferenceMs()).isPositive();
        }
        JsonObject y = out.getAsJsonArray("outputs").get(0).getAsJsonObject();
        assertThat(y.get("name").getAsString()).isEqualTo("logits");
        assertThat(y.get("shape").toString()).isEqualTo("[1,10]");
        assertThat(y.get("dtype").getAsString()).isEqualTo("float32");

        float[] expected = djlDirect(new Mlp(784, 10, new int[] {128, 64}), Fixtures.mlp(), new Shape(1, 784), x);
        assertThat(floats(y.getAsJsonArray("data"))).containsExactly(expected);
    }

    @Test
    void resnet18ClassifiesLikeDjlOnTheSameWeights() throws Exception {
        byte[] png = DemoModels.testImagePng(256, 256, 3);
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(png));
        JsonObject out;
        try (LoadedModel model = host.load(Fixtures.resnet18())) {
            assertThat(model.manifest().architecture()).isEqualTo("resnet-18");
            out = model.predict(request);
        }
        JsonArray predictions = out.getAsJsonArray("predictions");
        assertThat(predictions).hasSize(5);

        // The test's own preprocessing: a 256x256 image needs no resize (shorter side 256), a centre crop at 16,16,
        // normalisation.
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        float[] pixels = new float[3 * 224 * 224];
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                int p = image.getRGB(x + 16, y + 16);
                for (int c = 0; c < 3; c++) {
                    int v = (p >> (16 - 8 * c)) & 0xff;
                    pixels[c * 224 * 224 + y * 224 + x] = (v / 255f - mean[c]) / std[c];
                }
            }
        }
        Block block = ResNetV1.builder()
                .setImageShape(new Shape(3, 224, 224))
                .setNumLayers(18)
                .setOutSize(1000)
                .build();
        float[] logits = djlDirect(block, Fixtures.resnet18(), new Shape(1, 3, 224, 224), pixels);
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            best = logits[i] > logits[best] ? i : best;
        }
        JsonObject top = predictions.get(0).getAsJsonObject();
        assertThat(top.get("label").getAsString()).isEqualTo("class-" + best);
        assertThat(top.get("probability").getAsDouble())
                .isCloseTo(Math.exp(logits[best] - max) / sum, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void aWarmUpRunsAnExampleThroughTheWholePathAndChangesNoResult() throws Exception {
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(DemoModels.testImagePng(300, 260, 5)));
        JsonObject cold;
        try (LoadedModel model = host.load(Fixtures.resnet18())) {
            cold = model.predict(request);
        }
        try (LoadedModel model = host.load(Fixtures.resnet18())) {
            JsonObject example = model.input().exampleRequest();
            assertThat(example).as("an image model warms decoding too").isNotNull();
            assertThat(model.predict(example).getAsJsonArray("predictions")).hasSize(5);
            assertThat(model.warmUp()).isNotNegative();
            assertThat(model.predict(request)).isEqualTo(cold);
        }
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            assertThat(model.input().exampleRequest()).as("zeros are as good").isNull();
            assertThat(model.warmUp()).isNotNegative();
        }
    }

    @Test
    void aRequestNamesTheThreadsTheEngineComputesOnAndTheAnswerStaysTheSame() throws Exception {
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(DemoModels.testImagePng(224, 224, 9)));
        int before = LoadedModel.intraOpThreads();
        try (LoadedModel model = host.load(Fixtures.resnet18())) {
            JsonObject onOne = model.infer(request, 1).output();
            assertThat(JniUtils.getNumThreads()).as("libtorch's own count").isEqualTo(1);
            assertThat(LoadedModel.intraOpThreads()).isEqualTo(1);
            JsonObject onTwo = model.infer(request, 2).output();
            assertThat(JniUtils.getNumThreads()).isEqualTo(2);
            model.infer(request, 0);
            assertThat(JniUtils.getNumThreads()).as("0: the count as it is").isEqualTo(2);

            JsonArray one = onOne.getAsJsonArray("predictions");
            JsonArray two = onTwo.getAsJsonArray("predictions");
            assertThat(two).hasSize(one.size());
            for (int i = 0; i < one.size(); i++) {
                JsonObject a = one.get(i).getAsJsonObject();
                JsonObject b = two.get(i).getAsJsonObject();
                assertThat(b.get("label")).isEqualTo(a.get("label"));
                assertThat(b.get("probability").getAsDouble())
                        .as("sums may be added in another order, nothing more")
                        .isCloseTo(a.get("probability").getAsDouble(), within(1e-5));
            }
        } finally {
            Engines.intraOpThreads(before);
        }
    }

    @Test
    void wrongShapeNamesTheExpectedShape() throws Exception {
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            assertThatThrownBy(() -> model.predict(tensorsRequest("x", new long[] {1, 3}, "float32", new float[3])))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("input 'x' has shape [1,3] but the model expects [-1,784] (float32)");
        }
    }

    @Test
    void wrongDtypeNamesTheExpectedDtype() throws Exception {
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            assertThatThrownBy(() -> model.predict(tensorsRequest("x", new long[] {1, 784}, "int64", new float[784])))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage("input 'x' has dtype int64 but the model expects [-1,784] (float32)");
        }
    }

    @Test
    void missingInputsAndWrongCountAreNamed() throws Exception {
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            assertThatThrownBy(() -> model.predict(new JsonObject()))
                    .hasMessageContaining("needs \"inputs\"")
                    .hasMessageContaining("'x' [-1,784] (float32)");
            JsonObject noData = JsonParser.parseString("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784]}]}")
                    .getAsJsonObject();
            assertThatThrownBy(() -> model.predict(noData)).hasMessageContaining("needs \"data\"");
            JsonObject wrongName = tensorsRequest("y", new long[] {1, 784}, "float32", new float[784]);
            assertThatThrownBy(() -> model.predict(wrongName)).hasMessageContaining("input 'x' is missing");
        }
    }

    @Test
    void shapeMayBeLeftOutAndBatchesWork() throws Exception {
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            JsonObject request = tensorsRequest("x", null, null, new float[2 * 784]);
            JsonObject out = model.predict(request);
            assertThat(out.getAsJsonArray("outputs")
                            .get(0)
                            .getAsJsonObject()
                            .get("shape")
                            .toString())
                    .isEqualTo("[2,10]");
        }
    }

    @Test
    void notAnImageIsRefusedNamingTheExpectedImage() throws Exception {
        try (LoadedModel model = host.load(Fixtures.resnet18())) {
            JsonObject request = new JsonObject();
            request.addProperty("image", Base64.getEncoder().encodeToString("hello".getBytes()));
            assertThatThrownBy(() -> model.predict(request))
                    .isInstanceOf(BadInputException.class)
                    .hasMessage(
                            "\"image\" is not a PNG or JPEG image; the model takes a 224x224 RGB image as {\"image\":\"<base64 PNG or JPEG>\"}");
            assertThatThrownBy(() -> model.predict(new JsonObject())).hasMessageContaining("needs \"image\"");
        }
    }

    @Test
    void aFactoryJarArchitectureLoadsAndPredicts() throws Exception {
        Block block = new Mlp(4, 2, new int[] {3});
        Path params = dir.resolve("tiny.params");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            block.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            ParamsFile.write(block, "tiny", params);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.params", Files.readAllBytes(params));
        files.put("blocks.jar", Fixtures.tinyBlocksJar());
        Path bundle = DemoModels.bundle(dir, "tiny", Fixtures.tinyManifest(null), files);
        try (LoadedModel model = host.load(bundle)) {
            assertThat(model.manifest().architecture()).isEqualTo("com.example.TinyBlocks");
            JsonObject out =
                    model.predict(tensorsRequest("input", new long[] {1, 4}, "float32", new float[] {1, 2, 3, 4}));
            float[] expected =
                    djlDirect(new Mlp(4, 2, new int[] {3}), bundle, new Shape(1, 4), new float[] {1, 2, 3, 4});
            assertThat(floats(out.getAsJsonArray("outputs")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonArray("data")))
                    .containsExactly(expected);
        }
    }

    @Test
    void manyPredictionsDoNotKeepArraysAlive() throws Exception {
        try (LoadedModel model = host.load(Fixtures.mlp())) {
            JsonObject request = tensorsRequest("x", new long[] {1, 784}, "float32", new float[784]);
            model.predict(request);
            long before = liveArrays(model);
            for (int i = 0; i < 50; i++) {
                model.predict(request);
            }
            assertThat(liveArrays(model)).isEqualTo(before);
        }
    }

    /** Arrays and sub-managers attached to the model's manager (DJL's BaseNDManager keeps them in a map). */
    private static long liveArrays(LoadedModel model) throws Exception {
        java.lang.reflect.Field f = LoadedModel.class.getDeclaredField("manager");
        f.setAccessible(true);
        Object manager = f.get(model);
        java.lang.reflect.Field resources = ai.djl.ndarray.BaseNDManager.class.getDeclaredField("resources");
        resources.setAccessible(true);
        return ((Map<?, ?>) resources.get(manager)).size();
    }

    static JsonObject tensorsRequest(String name, long[] shape, String dtype, float[] data) {
        JsonObject input = new JsonObject();
        input.addProperty("name", name);
        if (shape != null) {
            JsonArray s = new JsonArray();
            for (long d : shape) {
                s.add(d);
            }
            input.add("shape", s);
        }
        if (dtype != null) {
            input.addProperty("dtype", dtype);
        }
        JsonArray values = new JsonArray();
        for (float v : data) {
            values.add(v);
        }
        input.add("data", values);
        JsonArray inputs = new JsonArray();
        inputs.add(input);
        JsonObject request = new JsonObject();
        request.add("inputs", inputs);
        return request;
    }

    static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        int i = 0;
        for (JsonElement e : array) {
            out[i++] = e.getAsFloat();
        }
        return out;
    }

    /** DJL's own Model.load and Predictor on the bundle's model.params. */
    private float[] djlDirect(Block block, Path bundle, Shape shape, float[] input) throws Exception {
        Path modelDir = Files.createTempDirectory(dir, "djl-");
        Files.write(modelDir.resolve("direct-0000.params"), Fixtures.entry(bundle, "model.params"));
        try (Model model = Model.newInstance("direct", "PyTorch")) {
            model.setBlock(block);
            model.load(modelDir, "direct");
            try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
                    NDManager manager = model.getNDManager().newSubManager()) {
                NDArray x = manager.create(input, shape);
                NDList out = predictor.predict(new NDList(x));
                return out.get(0).toFloatArray();
            }
        }
    }
}
