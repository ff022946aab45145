package dev.hearth.model.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.tensors.TensorStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading {@code djl-params} bundles through a {@link TensorStore}: same outputs, shared files, faults. */
class SharedLoadingTest {

    @TempDir
    Path root;

    static List<Path> pair;

    @BeforeAll
    static void bundles() {
        pair = DemoModels.fineTunedPair(Fixtures.dir().resolve("pair"));
    }

    static JsonObject mlpInput() {
        JsonArray data = new JsonArray();
        for (int i = 0; i < 784; i++) {
            data.add((i % 17) / 17.0 - 0.5);
        }
        JsonObject x = new JsonObject();
        x.addProperty("name", "x");
        JsonArray shape = new JsonArray();
        shape.add(1);
        shape.add(784);
        x.add("shape", shape);
        x.add("data", data);
        JsonArray inputs = new JsonArray();
        inputs.add(x);
        JsonObject request = new JsonObject();
        request.add("inputs", inputs);
        return request;
    }

    static JsonObject image() {
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(DemoModels.testImagePng(256, 256, 7)));
        return request;
    }

    JsonObject predict(ModelHost host, Path bundle, JsonObject request) throws Exception {
        try (LoadedModel model = host.load(bundle)) {
            return model.predict(request);
        }
    }

    long storeFiles() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
                    .count();
        }
    }

    static final String DIGEST = "ab".repeat(32);

    @Test
    void aSecondLoadOfTheSameBundleMapsFromTheIndexWithoutReadingTheModelFile() throws Exception {
        Path dir = root.resolveSibling(root.getFileName() + "-bundle");
        ExtractedBundle.extractTo(Fixtures.mlp(), dir);
        JsonObject off = predict(new ModelHost(), dir, mlpInput());
        TensorStore store = new TensorStore(root);
        List<String> digests;
        try (LoadedModel first = new ModelHost(store).load(dir, DIGEST)) {
            digests = first.weights().storeDigests();
        }
        assertThat(store.index(DIGEST)).isPresent();
        assertThat(store.index(DIGEST).get().entries()).hasSize(6);
        // Spoil the model file: a load that read it would fail or differ.
        Path params;
        try (Stream<Path> files = Files.list(dir)) {
            params = files.filter(p -> p.toString().endsWith(".params"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.write(params, new byte[] {1, 2, 3});
        try (LoadedModel second = new ModelHost(new TensorStore(root)).load(dir, DIGEST)) {
            assertThat(second.predict(mlpInput())).isEqualTo(off);
            assertThat(second.weights().storeDigests()).isEqualTo(digests);
            assertThat(second.weights().sharedTensors()).isEqualTo(6);
            assertThat(second.weights().privateBytes()).isZero();
        }
    }

    @Test
    void aTensorMissingFromTheIndexedStoreIsRebuiltFromTheBundle() throws Exception {
        JsonObject off = predict(new ModelHost(), Fixtures.mlp(), mlpInput());
        TensorStore store = new TensorStore(root);
        List<String> digests;
        try (LoadedModel first = new ModelHost(store).load(Fixtures.mlp(), DIGEST)) {
            digests = first.weights().storeDigests();
        }
        store.remove(digests.get(1));
        Path truncated = root.resolve(digests.get(3));
        Files.write(truncated, new byte[16]);
        try (LoadedModel again = new ModelHost(new TensorStore(root)).load(Fixtures.mlp(), DIGEST)) {
            assertThat(again.predict(mlpInput())).isEqualTo(off);
            assertThat(again.weights().sharedTensors()).isEqualTo(6);
        }
        for (String digest : digests) {
            assertThat(TensorStore.sha256(ByteBuffer.wrap(Files.readAllBytes(root.resolve(digest)))))
                    .isEqualTo(digest);
        }
    }

    @Test
    void mlpWithSharingGivesTheSameOutputAsWithout() throws Exception {
        TensorStore store = new TensorStore(root);
        JsonObject off = predict(new ModelHost(), Fixtures.mlp(), mlpInput());
        try (LoadedModel model = new ModelHost(store).load(Fixtures.mlp())) {
            WeightMemory w = model.weights();
            assertThat(w.sharing()).isTrue();
            assertThat(w.tensors()).isEqualTo(6);
            assertThat(w.sharedTensors()).isEqualTo(6);
            assertThat(w.privateBytes()).isZero();
            assertThat(w.sharedBytes()).isEqualTo(4L * (784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10));
            assertThat(w.warnings()).isEmpty();
            assertThat(model.predict(mlpInput())).isEqualTo(off);
        }
        assertThat(storeFiles()).isEqualTo(6);
    }

    @Test
    void resnet18WithSharingGivesTheSameOutputAsWithout() throws Exception {
        JsonObject off = predict(new ModelHost(), Fixtures.resnet18(), image());
        JsonObject on = predict(new ModelHost(new TensorStore(root)), Fixtures.resnet18(), image());
        assertThat(on).isEqualTo(off);
        // A second load with every tensor present (a fresh store object: verifies the files again).
        try (LoadedModel again = new ModelHost(new TensorStore(root)).load(Fixtures.resnet18())) {
            assertThat(again.predict(image())).isEqualTo(off);
            assertThat(again.weights().privateBytes()).isZero();
            assertThat(storeFiles()).isEqualTo(new HashSet<>(again.weights().storeDigests()).size());
        }
    }

    @Test
    void resnet18FromTheIndexGivesTheSameOutputAsWithoutSharing() throws Exception {
        JsonObject off = predict(new ModelHost(), Fixtures.resnet18(), image());
        TensorStore store = new TensorStore(root);
        try (LoadedModel first = new ModelHost(store).load(Fixtures.resnet18(), DIGEST)) {
            assertThat(first.predict(image())).isEqualTo(off);
        }
        assertThat(store.index(DIGEST)).isPresent();
        // The fast path: every tensor from the index, the block never initialised by DJL.
        try (LoadedModel again = new ModelHost(new TensorStore(root)).load(Fixtures.resnet18(), DIGEST)) {
            assertThat(again.loadPhases()).containsKey("indexMs");
            assertThat(again.predict(image())).isEqualTo(off);
            again.selfTest();
            assertThat(again.weights().privateBytes()).isZero();
        }
    }

    @Test
    void warmingTheLoadPathRunsTheIndexPathAndLeavesNothingBehind() throws Exception {
        Path scratch = root.resolveSibling(root.getFileName() + "-warm");
        Files.createDirectories(scratch);
        assertThat(LoadWarmUp.run(2, scratch)).isNotNegative();
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("its throw-away bundle and store are deleted").isEmpty();
        }
        assertThat(root).as("the machine's store is never touched").isEmptyDirectory();
        JsonObject off = predict(new ModelHost(), Fixtures.mlp(), mlpInput());
        assertThat(predict(new ModelHost(new TensorStore(root)), Fixtures.mlp(), mlpInput()))
                .isEqualTo(off);
    }

    @Test
    void theFineTunedPairSharesTheBackboneButNotTheHead() throws Exception {
        TensorStore store = new TensorStore(root);
        ModelHost host = new ModelHost(store);
        try (LoadedModel a = host.load(pair.get(0));
                LoadedModel b = host.load(pair.get(1))) {
            List<String> da = a.weights().storeDigests();
            List<String> db = b.weights().storeDigests();
            assertThat(da).hasSize(a.weights().tensors()).hasSameSizeAs(db);
            List<String> names = new ArrayList<>();
            for (Pair<String, Parameter> p : a.block().getParameters()) {
                names.add(p.getKey());
            }
            int n = names.size();
            for (int i = 0; i < n - 2; i++) {
                assertThat(db.get(i)).as("backbone parameter %s", names.get(i)).isEqualTo(da.get(i));
            }
            assertThat(db.get(n - 2)).as("head weight %s", names.get(n - 2)).isNotEqualTo(da.get(n - 2));
            assertThat(db.get(n - 1)).as("head bias %s", names.get(n - 1)).isNotEqualTo(da.get(n - 1));
            // Files: every distinct backbone tensor once (equal BatchNorm constants collapse too), two heads.
            Set<String> backbone = new HashSet<>(da.subList(0, n - 2));
            Set<String> all = new HashSet<>(da);
            all.addAll(db);
            assertThat(all).hasSize(backbone.size() + 4);
            assertThat(storeFiles()).isEqualTo(all.size());
            assertThat(store.stats().tensors()).isEqualTo(all.size());
            assertThat(a.predict(image())).isNotEqualTo(b.predict(image()));
        }
    }

    @Test
    void twoLoadedModelsMapTheSameFiles() throws Exception {
        TensorStore store = new TensorStore(root);
        try (LoadedModel one = new ModelHost(store).load(Fixtures.resnet18());
                LoadedModel two = new ModelHost(new TensorStore(root)).load(Fixtures.resnet18())) {
            assertThat(two.weights().storeDigests()).isEqualTo(one.weights().storeDigests());
            String maps = Files.readString(Path.of("/proc/self/maps"));
            for (String digest : one.weights().storeDigests()) {
                assertThat(maps).contains(root.resolve(digest).toString());
            }
        }
    }

    @Test
    void anInPlaceWriteToOneModelsWeightsReachesNeitherTheFileNorAnotherModel() throws Exception {
        TensorStore store = new TensorStore(root);
        try (LoadedModel one = new ModelHost(store).load(Fixtures.mlp());
                LoadedModel two = new ModelHost(store).load(Fixtures.mlp())) {
            JsonObject before = two.predict(mlpInput());
            Parameter first = one.block().getParameters().get(0).getValue();
            first.getArray().addi(1f); // in place, on the copy-on-write mapping
            assertThat(one.predict(mlpInput())).as("the writer sees its write").isNotEqualTo(before);
            assertThat(two.predict(mlpInput())).as("another model does not").isEqualTo(before);
            for (String digest : one.weights().storeDigests()) {
                byte[] file = Files.readAllBytes(root.resolve(digest));
                assertThat(TensorStore.sha256(ByteBuffer.wrap(file)))
                        .as("file %s", digest)
                        .isEqualTo(digest);
            }
            try (LoadedModel three = new ModelHost(new TensorStore(root)).load(Fixtures.mlp())) {
                assertThat(three.predict(mlpInput())).isEqualTo(before);
            }
        }
    }

    @Test
    void aFullStoreFallsBackToPrivateMemoryWithAWarning() throws Exception {
        TensorStore full = new TensorStore(root, (channel, bytes) -> {
            throw new IOException("No space left on device");
        });
        JsonObject off = predict(new ModelHost(), Fixtures.mlp(), mlpInput());
        try (LoadedModel model = new ModelHost(full).load(Fixtures.mlp())) {
            WeightMemory w = model.weights();
            assertThat(w.sharing()).isTrue();
            assertThat(w.sharedTensors()).isZero();
            assertThat(w.privateBytes()).isPositive();
            assertThat(w.warnings()).hasSize(6).allMatch(s -> s.contains("No space left on device"));
            assertThat(model.predict(mlpInput())).isEqualTo(off);
        }
        assertThat(storeFiles()).isZero();
    }

    @Test
    void damagedStoreFilesAreRebuiltBeforeUse() throws Exception {
        JsonObject off = predict(new ModelHost(), Fixtures.mlp(), mlpInput());
        List<String> digests;
        try (LoadedModel model = new ModelHost(new TensorStore(root)).load(Fixtures.mlp())) {
            digests = model.weights().storeDigests();
        }
        Path truncated = root.resolve(digests.get(0));
        Files.write(truncated, new byte[100]);
        Path corrupted = root.resolve(digests.get(2));
        byte[] bytes = Files.readAllBytes(corrupted);
        bytes[bytes.length / 2] ^= 1;
        Files.write(corrupted, bytes);
        try (LoadedModel model = new ModelHost(new TensorStore(root)).load(Fixtures.mlp())) {
            assertThat(model.predict(mlpInput())).isEqualTo(off);
            assertThat(model.weights().sharedTensors()).isEqualTo(6);
        }
        for (String digest : digests) {
            assertThat(TensorStore.sha256(ByteBuffer.wrap(Files.readAllBytes(root.resolve(digest)))))
                    .isEqualTo(digest);
        }
    }

    @Test
    void sharingOffReportsEveryWeightAsPrivate() throws Exception {
        try (LoadedModel model = new ModelHost().load(Fixtures.mlp())) {
            WeightMemory w = model.weights();
            assertThat(w.sharing()).isFalse();
            assertThat(w.tensors()).isEqualTo(6);
            assertThat(w.sharedBytes()).isZero();
            assertThat(w.privateBytes()).isEqualTo(4L * (784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10));
        }
    }
}
