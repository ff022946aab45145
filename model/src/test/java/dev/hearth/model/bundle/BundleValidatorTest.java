package dev.hearth.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.host.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Deploy-time validation: the demo bundles pass; each way a bundle can be wrong is refused with a message that says so. */
class BundleValidatorTest {

    static final String RESNET = """
            {"format":"djl-params","model":"model.params",
             "architecture":{"name":"resnet","args":{"layers":%s,"classes":1000,"imageSize":224}},
             "input":{"adapter":"%s","width":224,"height":224},
             "output":{"adapter":"top-k","k":5},"labels":"labels.txt"}
            """;

    @Test
    void demoBundlesAreValid() throws Exception {
        Manifest mlp = BundleValidator.validate(Fixtures.mlp());
        assertThat(mlp).isEqualTo(new Manifest("djl-params", "mlp 784-128-64-10", "tensors", "tensors", 256));
        Manifest resnet = BundleValidator.validate(Fixtures.resnet18());
        assertThat(resnet).isEqualTo(new Manifest("djl-params", "resnet-18", "image", "top-k", 512));
    }

    @Test
    void aFactoryJarBundleIsValid() throws Exception {
        Path dir = Fixtures.dir().resolve("factory-valid");
        byte[] jar = Fixtures.tinyBlocksJar();
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.params", tinyParams());
        files.put("blocks.jar", jar);
        Manifest m = BundleValidator.validate(DemoModels.bundle(dir, "tiny", Fixtures.tinyManifest(null), files));
        assertThat(m.architecture()).isEqualTo("com.example.TinyBlocks");
        assertThat(m.memoryMb()).isEqualTo(320); // 256 + 3 x 1 MB, rounded up to 64
    }

    record Case(String name, Function<Path, Path> bundle, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                        new Case(
                                "not a zip",
                                d -> write(d, "text.zip", "just text".getBytes()),
                                "the bundle is not a zip file"),
                        new Case(
                                "no manifest",
                                d -> DemoModels.bundle(d, "nomanifest", null, Map.of("model.params", new byte[1])),
                                "the bundle has no manifest.json at its root"),
                        new Case(
                                "malformed manifest",
                                d -> DemoModels.bundle(d, "malformed", "{\"format\":", Map.of()),
                                "manifest.json is not valid JSON"),
                        new Case(
                                "unknown format",
                                d -> DemoModels.bundle(
                                        d, "onnx", "{\"format\":\"onnx\",\"model\":\"m.onnx\"}", Map.of()),
                                "unknown format 'onnx': expected djl-params or torchscript"),
                        new Case(
                                "unknown architecture",
                                d -> resnetBundle(
                                        d,
                                        "vgg",
                                        RESNET.replace("\"resnet\"", "\"vgg\"").formatted(18, "image")),
                                "unknown architecture 'vgg'"),
                        new Case(
                                "bad layers",
                                d -> resnetBundle(d, "layers20", RESNET.formatted(20, "image")),
                                "architecture 'resnet' needs layers 18, 34 or 50, got 20"),
                        new Case(
                                "bad mlp args",
                                d -> DemoModels.bundle(
                                        d,
                                        "mlpargs",
                                        Files2.mlpManifest("\"input\":784,\"output\":10"),
                                        Map.of("model.params", new byte[4])),
                                "architecture 'mlp' needs args.hidden"),
                        new Case(
                                "unknown adapter",
                                d -> resnetBundle(d, "audio", RESNET.formatted(18, "audio")),
                                "unknown input adapter 'audio': expected one of tensors, image"),
                        new Case(
                                "missing params file",
                                d -> DemoModels.bundle(
                                        d,
                                        "noparams",
                                        RESNET.formatted(18, "image"),
                                        Map.of("labels.txt", labels(1000))),
                                "model file 'model.params' named by the manifest is not in the bundle"),
                        new Case(
                                "missing labels file",
                                d -> DemoModels.bundle(
                                        d,
                                        "nolabels",
                                        RESNET.formatted(18, "image"),
                                        Map.of("model.params", resnet18Params())),
                                "labels file 'labels.txt' named by the manifest is not in the bundle"),
                        new Case(
                                "params of resnet-18 in a resnet-34 manifest",
                                d -> resnetBundle(d, "r34", RESNET.formatted(34, "image")),
                                "parameters in model.params do not match a resnet-34 block: "),
                        new Case(
                                "truncated params",
                                d -> DemoModels.bundle(
                                        d,
                                        "truncated",
                                        RESNET.formatted(18, "image"),
                                        Map.of(
                                                "model.params",
                                                Arrays.copyOf(resnet18Params(), resnet18Params().length / 2),
                                                "labels.txt",
                                                labels(1000))),
                                "parameters in model.params do not match a resnet-18 block: the file ends before"),
                        new Case(
                                "params with other shapes",
                                d -> DemoModels.bundle(
                                        d,
                                        "mlpshapes",
                                        Files2.mlpManifest("\"input\":784,\"hidden\":[100,64],\"output\":10"),
                                        Map.of("model.params", Fixtures.entry(Fixtures.mlp(), "model.params"))),
                                "parameters in model.params do not match a mlp 784-100-64-10 block: parameter "),
                        new Case(
                                "not DJL params",
                                d -> DemoModels.bundle(
                                        d,
                                        "garbage",
                                        RESNET.formatted(18, "image"),
                                        Map.of("model.params", "garbage!".getBytes(), "labels.txt", labels(1000))),
                                "not a DJL parameters file"),
                        new Case(
                                "labels do not match classes",
                                d -> DemoModels.bundle(
                                        d,
                                        "labels3",
                                        RESNET.formatted(18, "image"),
                                        Map.of("model.params", resnet18Params(), "labels.txt", labels(3))),
                                "the labels file has 3 labels but the model outputs 1000 classes"),
                        new Case(
                                "factory class not in jar",
                                d -> DemoModels.bundle(
                                        d,
                                        "nofactory",
                                        Fixtures.tinyManifest(null).replace("TinyBlocks", "Missing"),
                                        Map.of("model.params", tinyParams(), "blocks.jar", Fixtures.tinyBlocksJar())),
                                "factory class 'com.example.Missing' is not in blocks.jar"),
                        new Case(
                                "zip slip",
                                d -> DemoModels.bundle(
                                        d, "slip", RESNET.formatted(18, "image"), Map.of("../evil.txt", new byte[1])),
                                "the bundle has an entry outside its root: '../evil.txt'"),
                        new Case(
                                "torchscript that is not",
                                d -> DemoModels.bundle(d, "ts", """
                        {"format":"torchscript","model":"model.pt",
                         "input":{"adapter":"tensors","inputs":[{"name":"x","shape":[-1,4]}]},"output":{"adapter":"tensors"}}
                        """, Map.of("model.pt", "not torchscript".getBytes())),
                                "cannot load model.pt as a TorchScript model"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refuses(Case c) throws Exception {
        Path dir = Files.createTempDirectory(Fixtures.dir(), "case-");
        Path bundle = c.bundle().apply(dir);
        assertThatThrownBy(() -> BundleValidator.validate(bundle))
                .isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining(c.message());
        assertThat(dir.getParent().resolve("evil.txt")).doesNotExist();
    }

    private static Path resnetBundle(Path dir, String name, String manifest) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.params", resnet18Params());
        files.put("labels.txt", labels(1000));
        return DemoModels.bundle(dir, name, manifest, files);
    }

    private static byte[] resnet18Params() {
        return Fixtures.entry(Fixtures.resnet18(), "model.params");
    }

    private static byte[] tinyParams() {
        try {
            Path p = Files.createTempFile(Fixtures.dir(), "tiny", ".params");
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
                ai.djl.nn.Block block = new ai.djl.basicmodelzoo.basic.Mlp(4, 2, new int[] {3});
                block.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 4));
                ParamsFile.write(block, "tiny", p);
            }
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] labels(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("c").append(i).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Manifests used by several cases. */
    static final class Files2 {
        static String mlpManifest(String args) {
            return "{\"format\":\"djl-params\",\"model\":\"model.params\",\"architecture\":{\"name\":\"mlp\",\"args\":{"
                    + args + "}},\"input\":{\"adapter\":\"tensors\"},\"output\":{\"adapter\":\"tensors\"}}";
        }
    }
}
