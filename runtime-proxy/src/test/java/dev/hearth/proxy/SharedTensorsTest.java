package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hearth.model.demo.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code HEARTH_TENSOR_ROOT}: proxies of one machine load {@code djl:pytorch} weights through the tensor
 * store, map the same files, and answer exactly like a proxy loading privately.
 */
class SharedTensorsTest {

    @TempDir
    Path dir;

    final List<ProxyProcess> proxies = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (ProxyProcess p : proxies) {
            p.close();
        }
    }

    ProxyProcess start(Path tensorRoot) {
        List<String> flags = new ArrayList<>(RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        flags.addAll(RuntimeProxy.MODEL_JVM_FLAGS);
        ProxyProcess p = ProxyProcess.startWithModels(
                flags, tensorRoot == null ? Map.of() : Map.of(RuntimeProxy.TENSOR_ROOT_ENV, tensorRoot.toString()));
        proxies.add(p);
        return p;
    }

    static JsonObject image() {
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(DemoModels.testImagePng(256, 256, 7)));
        return request;
    }

    static Set<Path> mappedStoreFiles(ProxyProcess p, Path root) throws IOException {
        Set<Path> files = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + p.process.pid() + "/maps"))) {
            int at = line.indexOf(root.toString());
            if (at >= 0) {
                files.add(Path.of(line.substring(at)));
            }
        }
        return files;
    }

    static long storeFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().matches("[0-9a-f]{64}"))
                    .count();
        }
    }

    @Test
    void twoProxiesMapTheSameStoreFilesAndAnswerLikeAPrivateOne() throws Exception {
        Path resnet18 = DemoModels.resnet18(dir);
        Path root = dir.resolve("tensors");
        ProxyProcess privately = start(null);
        ProxyProcess first = start(root);
        ProxyProcess second = start(root);
        String digest = "5e".repeat(32);
        for (ProxyProcess p : proxies) {
            JsonObject request = ModelKindTest.modelInit(resnet18);
            request.addProperty("digest", digest);
            ProxyProcess.Response init = p.init(request);
            assertThat(init.status()).as("%s", init.body()).isEqualTo(200);
            if (p != privately) { // the answer names the store files the proxy maps: the invoker's references
                Set<String> named = new java.util.HashSet<>();
                init.body()
                        .getAsJsonObject("weights")
                        .getAsJsonArray("storeDigests")
                        .forEach(d -> named.add(d.getAsString()));
                assertThat(named).hasSize((int) storeFiles(root));
            }
        }
        assertThat(root.resolve(".index").resolve(digest))
                .as("the tensor index of the bundle")
                .exists();
        JsonObject expected = privately.run(image()).body();
        assertThat(first.run(image()).body()).isEqualTo(expected);
        assertThat(second.run(image()).body()).isEqualTo(expected);

        JsonObject off = privately.get("/stats").body().getAsJsonObject("weights");
        assertThat(off.get("sharing").getAsBoolean()).isFalse();
        assertThat(off.get("sharedBytes").getAsLong()).isZero();
        long modelBytes = off.get("privateBytes").getAsLong();
        assertThat(modelBytes).isPositive();
        for (ProxyProcess p : List.of(first, second)) {
            JsonObject on = p.get("/stats").body().getAsJsonObject("weights");
            assertThat(on.get("sharing").getAsBoolean()).isTrue();
            assertThat(on.get("sharedBytes").getAsLong()).isEqualTo(modelBytes);
            assertThat(on.get("privateBytes").getAsLong()).isZero();
            assertThat(on.get("tensors").getAsInt())
                    .isEqualTo(off.get("tensors").getAsInt());
            assertThat(on.getAsJsonArray("warnings")).isEmpty();
        }
        Set<Path> mappedByFirst = mappedStoreFiles(first, root);
        assertThat(mappedByFirst).isNotEmpty().hasSize((int) storeFiles(root));
        assertThat(mappedStoreFiles(second, root)).isEqualTo(mappedByFirst);
        assertThat(mappedStoreFiles(privately, root)).isEmpty();
    }
}
