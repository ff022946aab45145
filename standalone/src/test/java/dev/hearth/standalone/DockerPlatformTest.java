package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.io.FileTrees;
import dev.hearth.common.json.Json;
import dev.hearth.invoker.container.docker.DockerContainerFactory;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.DockerEngine;
import dev.hearth.testsupport.RequiresDocker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The whole path with function containers as Docker containers: gateway → controller → Kafka →
 * invoker → a container of the locally built runtime-proxy image, on a platform of its own.
 */
@RequiresDocker
class DockerPlatformTest {
    static final String NAME = "it-" + UUID.randomUUID().toString().substring(0, 8);
    static Platform platform;
    static Api api;
    static Path tensors;
    static List<String> leftAfterStart;

    @BeforeAll
    static void start() throws Exception {
        tensors = Files.createDirectories(Path.of("/dev/shm", "hearth-" + NAME, "tensors"));
        // What an invoker of this name killed outright would leave: a container with its label.
        Process orphan = new ProcessBuilder(
                        "docker",
                        "create",
                        "--label",
                        DockerContainerFactory.LABEL_INVOKER + "=" + NAME,
                        DockerEngine.IMAGE,
                        "true")
                .redirectErrorStream(true)
                .start();
        assertThat(orphan.waitFor())
                .as(new String(orphan.getInputStream().readAllBytes()))
                .isZero();
        assertThat(containers()).hasSize(1);
        platform = Platform.start(PlatformSettings.ephemeral(
                        RunningPlatform.newDataDir("hearth-docker-it"),
                        Map.of(
                                "hearth.invoker.factory",
                                "docker",
                                "hearth.invoker.docker.name",
                                NAME,
                                "hearth.invoker.docker.pause-grace",
                                "200ms",
                                "hearth.invoker.tensors.root",
                                tensors.toString()))
                .withInvokerMemoryMb(2048));
        leftAfterStart = containers();
        api = new Api(platform.apiHost(), platform.guestKey());
    }

    @Test
    void anInvokerStartingUnderTheSameNameRemovedTheContainerItsPredecessorLeft() {
        assertThat(leftAfterStart).isEmpty();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
            assertThat(containers())
                    .as("the invoker removes its containers as it stops")
                    .isEmpty();
        } else { // the platform did not start: remove the planted orphan here
            new ProcessBuilder(
                            "sh",
                            "-c",
                            "docker ps -aq --filter label=" + DockerContainerFactory.LABEL_INVOKER + "=" + NAME
                                    + " | xargs -r docker rm -f")
                    .start()
                    .waitFor();
        }
        FileTrees.delete(tensors.getParent());
    }

    static List<String> containers() {
        return DockerEngine.states(DockerContainerFactory.LABEL_INVOKER, NAME);
    }

    static void awaitStates(Predicate<List<String>> ok, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!ok.test(containers())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + "; containers are " + containers());
            }
            Thread.sleep(20);
        }
    }

    static JsonNode annotation(JsonNode record, String key) {
        for (JsonNode a : record.path("annotations")) {
            if (key.equals(a.path("key").asString())) {
                return a.path("value");
            }
        }
        return null;
    }

    Api.Response invoke(String name, String params) {
        return api.post("/api/v1/namespaces/_/actions/" + name + "?blocking=true", params);
    }

    @Test
    void aWarmContainerIsPausedWhenIdleAndResumedForTheNextActivation() throws Exception {
        String name = Actions.unique("docker-echo");
        Actions.create(api, name, Actions.body(ActionFixture.ECHO));
        Api.Response cold = invoke(name, "{\"n\":1}");
        assertThat(cold.status()).as(cold.body()).isEqualTo(200);
        assertThat(annotation(cold.json(), "initTime")).as("cold start").isNotNull();
        awaitStates(s -> s.contains("paused"), "the idle container is paused after the grace");

        Api.Response warm = invoke(name, "{\"n\":2}");
        assertThat(warm.status()).as(warm.body()).isEqualTo(200);
        assertThat(warm.json().path("response").path("result").path("n").asInt())
                .isEqualTo(2);
        assertThat(annotation(warm.json(), "initTime"))
                .as("warm: same container")
                .isNull();
        awaitStates(s -> s.contains("paused"), "paused again once idle");
    }

    @Test
    void aFunctionOverItsMemoryLimitIsKilledWithOpenWhisksMessage() {
        String name = Actions.unique("docker-greedy");
        ObjectNode body = Actions.body(ActionFixture.NATIVE_GREEDY);
        body.putObject("limits").put("memory", 128);
        Actions.create(api, name, body);
        Api.Response r = invoke(name, "{\"mb\":400}");
        assertThat(r.status()).as(r.body()).isEqualTo(502);
        JsonNode response = r.json().path("response");
        assertThat(response.path("statusCode").asInt()).as("developer error").isEqualTo(2);
        assertThat(response.path("result").path("error").asString())
                .isEqualTo("The action exhausted its memory and was aborted.");
    }

    /** The store files a process has mapped, from {@code /proc/<pid>/maps}. */
    static Set<String> mappedStoreFiles(long pid, Path root) throws IOException {
        Set<String> files = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            int at = line.indexOf(root + "/");
            if (at >= 0) {
                files.add(Path.of(line.substring(at).trim()).getFileName().toString());
            }
        }
        return files;
    }

    @Test
    void twoDockerContainersOfOneResnetShareEveryWeightAndAJavaFunctionCannotSeeTheStore() throws Exception {
        Path bundle = DemoModels.resnet18(RunningPlatform.newDataDir("hearth-docker-models"));
        Api.Response upload = Actions.upload(platform.apiHost(), platform.guestKey(), bundle);
        assertThat(upload.status()).as(upload.body()).isEqualTo(201);
        String image =
                "{\"image\":\"" + Base64.getEncoder().encodeToString(DemoModels.testImagePng(128, 128, 4)) + "\"}";
        List<String> names = List.of(Actions.unique("docker-resnet-a"), Actions.unique("docker-resnet-b"));
        List<JsonNode> results = new ArrayList<>();
        for (String name : names) {
            ObjectNode body = Json.object();
            body.putObject("exec")
                    .put("kind", "djl:pytorch")
                    .put("digest", upload.json().path("digest").asString());
            body.putObject("limits").put("memory", 512);
            Actions.create(api, name, body);
            Api.Response r = invoke(name, image);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            results.add(r.json().path("response").path("result"));
        }
        assertThat(results.get(1)).isEqualTo(results.get(0));

        Api invoker = new Api("http://127.0.0.1:" + platform.invokerPort(), platform.guestKey());
        Map<String, String> ids = new java.util.HashMap<>();
        for (JsonNode c : invoker.get("/invoker/containers").json().path("containers")) {
            for (String name : names) {
                if (c.path("action").asString("").endsWith("/" + name)) {
                    ids.put(name, c.path("id").asString());
                }
            }
        }
        assertThat(ids).hasSize(2);
        JsonNode status = invoker.get("/invoker/tensors?detail=true").json();
        List<Set<String>> mapped = new ArrayList<>();
        for (JsonNode c : status.path("containers")) {
            if (!ids.containsValue(c.path("id").asString())) {
                continue;
            }
            Set<String> digests = new TreeSet<>();
            c.path("digests").forEach(d -> digests.add(d.asString()));
            assertThat(digests).as("the ledger's references of " + c).hasSizeGreaterThan(10);
            assertThat(c.path("memory").path("pssBytes").asLong())
                    .as("a Docker container's PSS, read through its host pid")
                    .isGreaterThan(50L << 20);
            assertThat(mappedStoreFiles(c.path("pid").asLong(), tensors)).isEqualTo(digests);
            mapped.add(digests);
        }
        assertThat(mapped).hasSize(2);
        assertThat(mapped.get(1)).isEqualTo(mapped.get(0));
        assertThat(status.path("dedupeRatio").asDouble()).isGreaterThanOrEqualTo(1.9);

        String java = Actions.unique("docker-read");
        Actions.create(api, java, Actions.body(ActionFixture.READ_FILE));
        String file = tensors.resolve(mapped.get(0).iterator().next()).toString();
        Api.Response r = invoke(java, "{\"path\":\"" + file + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(502);
        assertThat(r.body()).as("Java containers do not get the store").contains("NoSuchFileException");
    }
}
