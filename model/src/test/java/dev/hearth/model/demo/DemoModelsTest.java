package dev.hearth.model.demo;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hearth.model.bundle.ParamsFile;
import dev.hearth.model.host.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demo bundles: deterministic bytes, and the fine-tuned pair's shared backbone. */
class DemoModelsTest {

    @TempDir
    Path dir;

    @Test
    void sameSeedSameBytes() throws Exception {
        Path a = DemoModels.mlp(dir.resolve("a"));
        Path b = DemoModels.mlp(dir.resolve("b"));
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        Path r1 = DemoModels.resnet18(dir.resolve("a"));
        Path r2 = DemoModels.resnet18(dir.resolve("b"));
        assertThat(Files.readAllBytes(r1)).isEqualTo(Files.readAllBytes(r2));
        assertThat(DemoModels.testImagePng(64, 48, 9)).isEqualTo(DemoModels.testImagePng(64, 48, 9));
        assertThat(DemoModels.testImagePng(64, 48, 9)).isNotEqualTo(DemoModels.testImagePng(64, 48, 10));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(DemoModels.testImagePng(64, 48, 9)));
        assertThat(image.getWidth()).isEqualTo(64);
        assertThat(image.getHeight()).isEqualTo(48);
    }

    @Test
    void manifestsSayTheWeightsAreRandom() {
        assertThat(new String(Fixtures.entry(Fixtures.resnet18(), "manifest.json")))
                .contains("RANDOM weights");
        assertThat(new String(Fixtures.entry(Fixtures.mlp(), "manifest.json"))).contains("RANDOM weights");
    }

    @Test
    void fineTunedPairSharesEveryParameterButTheHead() throws Exception {
        List<Path> pair = DemoModels.fineTunedPair(dir);
        Map<String, byte[]> a = parameters(pair.get(0));
        Map<String, byte[]> b = parameters(pair.get(1));
        assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
        List<String> names = List.copyOf(a.keySet());
        String weight = names.get(names.size() - 2);
        String bias = names.get(names.size() - 1);
        assertThat(weight).endsWith("Linear_weight");
        assertThat(bias).endsWith("Linear_bias");
        for (String name : names) {
            if (name.equals(weight) || name.equals(bias)) {
                assertThat(a.get(name)).as(name).isNotEqualTo(b.get(name));
            } else {
                assertThat(a.get(name)).as(name).isEqualTo(b.get(name));
            }
        }
    }

    private static Map<String, byte[]> parameters(Path bundle) throws Exception {
        Path params = Files.createTempFile("pair", ".params");
        Files.write(params, Fixtures.entry(bundle, "model.params"));
        Block block = ResNetV1.builder()
                .setImageShape(new Shape(3, 224, 224))
                .setNumLayers(18)
                .setOutSize(10)
                .build();
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ParamsFile.read(params, block, manager);
            for (Pair<String, Parameter> p : block.getParameters()) {
                out.put(p.getKey(), p.getValue().getArray().toByteArray());
            }
        }
        Files.delete(params);
        return out;
    }
}
