package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import dev.hearth.common.json.Json;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.model.tensors.TensorStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Shared weights through the real stack: model containers started by the invoker map their weights
 * from the machine's tensor store, the invoker holds their references and reports them at
 * {@code /invoker/tensors}; damaged store files are rebuilt, a crashed container leaves no references.
 */
class SharedWeightsTest {
    private static final Api API = RunningPlatform.guest();
    private static final String IMAGE =
            "{\"image\":\"" + Base64.getEncoder().encodeToString(DemoModels.testImagePng(256, 256, 9)) + "\"}";
    private static Path resnet;
    private static List<Path> pair;

    @BeforeAll
    static void buildModels() {
        Path dir = RunningPlatform.newDataDir("hearth-shared");
        resnet = DemoModels.resnet18(dir);
        pair = DemoModels.fineTunedPair(dir);
    }

    private static Api invoker() {
        return new Api(
                "http://127.0.0.1:" + RunningPlatform.get().invokerPort(),
                RunningPlatform.get().guestKey());
    }

    /** Deploys {@code bundle} as a new action and returns its name. */
    private static String deploy(Path bundle, String base) throws Exception {
        Api.Response upload = Actions.upload(bundle);
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String name = Actions.unique(base);
        ObjectNode body = Json.object();
        body.putObject("exec")
                .put("kind", "djl:pytorch")
                .put("digest", upload.json().path("digest").asString());
        body.putObject("limits").put("memory", 768);
        Actions.create(API, name, body);
        return name;
    }

    private static Api.Response invoke(String name) {
        Api.Response r = API.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", IMAGE);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r;
    }

    private static JsonNode result(Api.Response r) {
        return r.json().path("response").path("result");
    }

    /** The invoker's entry for the (one) container that ran {@code name}, from {@code /invoker/tensors}. */
    private static JsonNode container(String name) {
        String id = null;
        for (JsonNode c : invoker().get("/invoker/containers").json().path("containers")) {
            if (c.path("action").asString("").endsWith("/" + name)) {
                id = c.path("id").asString();
            }
        }
        assertThat(id).as("a container of " + name).isNotNull();
        for (JsonNode c : tensors().path("containers")) {
            if (c.path("id").asString().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no tensor entry for container " + id);
    }

    private static JsonNode tensors() {
        Api.Response r = invoker().get("/invoker/tensors?detail=true");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    private static Set<String> digests(JsonNode container) {
        Set<String> out = new TreeSet<>();
        container.path("digests").forEach(d -> out.add(d.asString()));
        return out;
    }

    /** The store files a process has mapped, from {@code /proc/<pid>/maps}. */
    private static Set<String> mappedStoreFiles(long pid, Path root) throws IOException {
        Set<String> files = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            int at = line.indexOf(root.toString() + "/");
            if (at >= 0) {
                files.add(Path.of(line.substring(at).trim()).getFileName().toString());
            }
        }
        return files;
    }

    @Test
    void twoContainersOfOneResnetMapEveryWeightFromTheSameFiles() throws Exception {
        String first = deploy(resnet, "shared-r1");
        String second = deploy(resnet, "shared-r2");
        JsonNode a = result(invoke(first));
        JsonNode b = result(invoke(second));
        assertThat(b).isEqualTo(a);

        Path root = Path.of(tensors().path("root").asString());
        JsonNode c1 = container(first);
        JsonNode c2 = container(second);
        Set<String> d1 = digests(c1);
        assertThat(d1).isNotEmpty().isEqualTo(digests(c2));
        assertThat(mappedStoreFiles(c1.path("pid").asLong(), root)).isEqualTo(d1);
        assertThat(mappedStoreFiles(c2.path("pid").asLong(), root)).isEqualTo(d1);
        long model = c1.path("sharedBytes").asLong();
        assertThat(model)
                .as("ResNet-18's distinct weights as DJL builds it, ~5 MB")
                .isGreaterThan(4L << 20);
        assertThat(c2.path("sharedBytes").asLong()).isEqualTo(model);
        // The pages are the store's: their proportional share across both containers is about one model, not two.
        long shmem = c1.path("memory").path("pssShmemBytes").asLong()
                + c2.path("memory").path("pssShmemBytes").asLong();
        assertThat(shmem).isLessThan(model + model / 10);
        JsonNode store = tensors();
        assertThat(store.path("dedupeRatio").asDouble()).isGreaterThanOrEqualTo(1.9);
    }

    @Test
    void theFineTunedPairSharesTheBackboneNotTheHeadAndDamageOrACrashLeavesNothingBehind() throws Exception {
        String nameA = deploy(pair.get(0), "ft-a");
        String nameB = deploy(pair.get(1), "ft-b");
        JsonNode outA = result(invoke(nameA));
        JsonNode outB = result(invoke(nameB));
        assertThat(outB).isNotEqualTo(outA);
        try (LoadedModel local = new ModelHost().load(pair.get(0))) { // sharing off, in this JVM
            assertThat(outA.toString())
                    .isEqualTo(local.predict(JsonParser.parseString(IMAGE).getAsJsonObject())
                            .toString());
        }

        Set<String> a = digests(container(nameA));
        Set<String> b = digests(container(nameB));
        Set<String> common = new HashSet<>(a);
        common.retainAll(b);
        Set<String> headB = new HashSet<>(b);
        headB.removeAll(a);
        assertThat(headB)
                .as("B's own tensors: the dense layer's weight and bias")
                .hasSize(2);
        assertThat(a).hasSize(common.size() + 2);

        // B's container crashes: its references end, A's backbone references stay.
        long pid = container(nameB).path("pid").asLong();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        awaitNoContainer(nameB, Duration.ofSeconds(10));
        for (JsonNode t : tensors().path("stored")) {
            String sha = t.path("sha256").asString();
            if (headB.contains(sha)) {
                assertThat(t.path("references").asInt())
                        .as("B's head after the crash")
                        .isZero();
            } else if (common.contains(sha)) {
                assertThat(t.path("references").asInt())
                        .as("the backbone A still maps")
                        .isPositive();
            }
        }

        // Damage B's head in the store: one file truncated, one corrupted at the same size.
        Path root = Path.of(tensors().path("root").asString());
        List<String> head = headB.stream().sorted().toList();
        try (FileChannel ch = FileChannel.open(root.resolve(head.get(0)), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        byte[] bytes = Files.readAllBytes(root.resolve(head.get(1)));
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(root.resolve(head.get(1)), bytes);

        Api.Response again = invoke(nameB);
        assertThat(InvokeTest.annotation(again.json(), "initTime"))
                .as("a new container")
                .isNotNull();
        assertThat(result(again)).isEqualTo(outB);
        for (String sha : head) {
            byte[] now = Files.readAllBytes(root.resolve(sha));
            assertThat(TensorStore.sha256(ByteBuffer.wrap(now)))
                    .as("rebuilt " + sha)
                    .isEqualTo(sha);
        }
        assertThat(digests(container(nameB))).isEqualTo(b);
    }

    private static void awaitNoContainer(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean present = false;
            for (JsonNode c : invoker().get("/invoker/containers").json().path("containers")) {
                present |= c.path("action").asString("").endsWith("/" + name);
            }
            if (!present) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the crashed container of " + name + " is still listed after " + timeout);
    }
}
