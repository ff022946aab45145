package dev.hearth.invoker.container.docker;

import static dev.hearth.invoker.container.RunRequests.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.tensors.ProcessMemory;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import dev.hearth.testsupport.DockerEngine;
import dev.hearth.testsupport.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker factory against a real engine and the locally built runtime-proxy image. */
@RequiresDocker
class DockerContainerFactoryEngineTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static DockerContainerFactory factory;
    static DockerJavaApi api;

    static DockerContainerFactory.Settings settings(String name) {
        return new DockerContainerFactory.Settings(
                "unix:///var/run/docker.sock",
                DockerEngine.IMAGE,
                "bridge",
                name,
                Duration.ofSeconds(30),
                512,
                64,
                true,
                0,
                dir.resolve("artifacts"),
                dir.resolve("tensors"),
                Map.of());
    }

    static DockerContainerFactory.Settings settingsWithStore(String name, Path tensorRoot) {
        DockerContainerFactory.Settings s = settings(name);
        return new DockerContainerFactory.Settings(
                s.dockerHost(),
                s.image(),
                s.network(),
                s.invokerName(),
                s.startTimeout(),
                s.pidsLimit(),
                s.tmpfsMb(),
                s.readOnlyRootFs(),
                s.cpusPerGb(),
                s.artifactDir(),
                tensorRoot,
                s.env());
    }

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("tensors"));
        factory = new DockerContainerFactory(
                settings("test-" + UUID.randomUUID().toString().substring(0, 8)), Clock.systemUTC());
        api = new DockerJavaApi("unix:///var/run/docker.sock");
    }

    @AfterAll
    static void stop() {
        if (factory != null) {
            factory.close();
            assertThat(factory.liveCount()).isZero();
        }
        if (api != null) {
            api.close();
        }
    }

    static Container started(Path jar, String main, int memoryMb) throws Exception {
        Container c = factory.create("t-" + UUID.randomUUID().toString().substring(0, 8), memoryMb, "java");
        c.init(new InitRequest("a", main, jar, Map.of()), TIMEOUT);
        return c;
    }

    @Test
    void runsTwiceInOneContainerWithEachActivationsLogs() throws Exception {
        Path jar = ActionJars.build(dir.resolve("artifacts"), ActionFixture.LOGS);
        Container c = started(jar, ActionFixture.LOGS.mainClass(), 256);
        try {
            assertThat(c.startTimings().createToReadyMs()).isPositive();
            RunResult first = c.run(run("{\"lines\":2}"), TIMEOUT, 1 << 20);
            RunResult second = c.run(run("{\"lines\":1}"), TIMEOUT, 1 << 20);
            assertThat(first).isInstanceOf(RunResult.Responded.class);
            assertThat(second).isInstanceOf(RunResult.Responded.class);
            assertThat(first.logs())
                    .as("each activation gets its own lines, in OpenWhisk's format, without sentinels")
                    .hasSize(4)
                    .anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.*Z stdout: stdout 2"))
                    .anyMatch(l -> l.endsWith(" stderr: stderr 1"))
                    .noneMatch(l -> l.contains("XXX_THE_END"));
            assertThat(second.logs()).hasSize(2);
        } finally {
            c.destroy();
        }
        assertThat(c.isAlive()).isFalse();
    }

    @Test
    void pausesAndResumes() throws Exception {
        Container c = started(
                ActionJars.build(dir.resolve("artifacts"), ActionFixture.ECHO), ActionFixture.ECHO.mainClass(), 256);
        try {
            String dockerId = ((DockerContainer) c).dockerId();
            c.pause();
            c.pause(); // idempotent
            assertThat(api.inspect(dockerId).paused()).isTrue();
            c.resume();
            assertThat(api.inspect(dockerId).paused()).isFalse();
            RunResult r = c.run(run("{\"x\":5}"), TIMEOUT, 1 << 20);
            assertThat(((RunResult.Responded) r).body().path("x").asInt()).isEqualTo(5);
            c.pause(); // destroy must remove a paused container too
        } finally {
            c.destroy();
        }
    }

    @Test
    void theSchedulersCpuShareChangesTheEnginesWeight() throws Exception {
        Container c = started(
                ActionJars.build(dir.resolve("artifacts"), ActionFixture.ECHO), ActionFixture.ECHO.mainClass(), 256);
        try {
            String dockerId = ((DockerContainer) c).dockerId();
            assertThat(api.cpuShares(dockerId)).as("the default: 4 per MB").isEqualTo(1024);
            c.cpuShare(0.5);
            assertThat(api.cpuShares(dockerId)).isEqualTo(512);
            c.cpuShare(2.0);
            assertThat(api.cpuShares(dockerId)).isEqualTo(2048);

            c.cpuPriority(CpuPriority.BACKGROUND);
            assertThat(api.cpuShares(dockerId))
                    .as("the background: the least weight")
                    .isEqualTo(2);
            c.cpuShare(0.5);
            assertThat(api.cpuShares(dockerId))
                    .as("a share waits for the normal priority")
                    .isEqualTo(2);
            c.cpuPriority(CpuPriority.NORMAL);
            assertThat(api.cpuShares(dockerId))
                    .as("back, with the latest share")
                    .isEqualTo(512);
            RunResult r = c.run(run("{\"x\":6}"), TIMEOUT, 1 << 20);
            assertThat(((RunResult.Responded) r).body().path("x").asInt()).isEqualTo(6);
        } finally {
            c.destroy();
        }
    }

    @Test
    void aFunctionOverItsMemoryLimitIsKilledAndSaysSo() throws Exception {
        Container c = started(
                ActionJars.build(dir.resolve("artifacts"), ActionFixture.NATIVE_GREEDY),
                ActionFixture.NATIVE_GREEDY.mainClass(),
                128);
        RunResult r = c.run(run("{\"mb\":400}"), TIMEOUT, 1 << 20);
        assertThat(r).isInstanceOf(RunResult.Exited.class);
        assertThat(((RunResult.Exited) r).memoryExhausted()).as(r.toString()).isTrue();
        assertThat(c.isAlive()).isFalse();
    }

    /** Runs {@code docker exec} as the container's user; returns exit code and output. */
    static String exec(String dockerId, String script) throws Exception {
        Process p = new ProcessBuilder("docker", "exec", dockerId, "bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() + ": " + out.trim();
    }

    /** The store files a process has mapped, from {@code /proc/<pid>/maps}. */
    static Set<String> mappedStoreFiles(long pid, Path root) throws Exception {
        Set<String> files = new TreeSet<>();
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"))) {
            int at = line.indexOf(root + "/");
            if (at >= 0) {
                files.add(Path.of(line.substring(at).trim()).getFileName().toString());
            }
        }
        return files;
    }

    static Container model(DockerContainerFactory f, Path bundle, String digest) throws Exception {
        Container c = f.create("m-" + UUID.randomUUID().toString().substring(0, 8), 768, ContainerFactory.DJL_PYTORCH);
        c.init(new InitRequest("m", null, bundle, Map.of(), ContainerFactory.DJL_PYTORCH, digest), TIMEOUT);
        return c;
    }

    @Test
    void twoModelContainersMapEveryWeightFromTheSameStoreFilesWhichNoContainerCanWrite() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Path zip = DemoModels.resnet18(models);
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip)));
        Path bundle = dir.resolve("artifacts").resolve(digest + ".d");
        ExtractedBundle.extractTo(zip, bundle);
        String image = "{\"image\":\"" + Base64.getEncoder().encodeToString(DemoModels.testImagePng(96, 96, 5)) + "\"}";
        Path root = dir.resolve("tensors");
        TensorStore store = new TensorStore(root);

        String privately;
        try (DockerContainerFactory off = new DockerContainerFactory(
                settingsWithStore("off-" + UUID.randomUUID().toString().substring(0, 8), null), Clock.systemUTC())) {
            Container c = model(off, bundle, digest);
            privately = ((RunResult.Responded) c.run(run(image), TIMEOUT, 1 << 20))
                    .body()
                    .toString();
            assertThat(mappedStoreFiles(c.pid().orElseThrow(), root))
                    .as("sharing off")
                    .isEmpty();
            c.destroy();
        }
        assertThat(store.index(digest)).as("sharing off publishes nothing").isEmpty();

        Container a = model(factory, bundle, digest);
        Container b = model(factory, bundle, digest);
        try {
            Set<String> indexed = new TreeSet<>();
            long model = 0;
            for (TensorIndex.Entry e : store.index(digest).orElseThrow().entries()) {
                if (e.size() > 0 && indexed.add(e.sha256())) {
                    model += e.size();
                }
            }
            assertThat(indexed)
                    .as("the invoker published the bundle before /init")
                    .hasSizeGreaterThan(10);
            for (Container c : List.of(a, b)) {
                RunResult r = c.run(run(image), TIMEOUT, 1 << 20);
                assertThat(((RunResult.Responded) r).body().toString())
                        .as("the same output with sharing on and off")
                        .isEqualTo(privately);
                assertThat(mappedStoreFiles(c.pid().orElseThrow(), root))
                        .as("every weight mapped from the store")
                        .isEqualTo(indexed);
            }
            ProcessMemory ma = ProcessMemory.of(a.pid().orElseThrow()).orElseThrow();
            ProcessMemory mb = ProcessMemory.of(b.pid().orElseThrow()).orElseThrow();
            assertThat(ma.pss()).as("the container's JVM, seen from the host").isGreaterThan(50L << 20);
            assertThat(ma.pssShmem() + mb.pssShmem())
                    .as("the store's pages are counted once across both containers")
                    .isPositive()
                    .isLessThan(model + model / 10);

            String file = store.file(indexed.iterator().next()).toString();
            String id = ((DockerContainer) a).dockerId();
            for (String attempt : List.of(
                    "echo x >> " + file,
                    "rm -f " + file,
                    "mv " + file + " " + file + ".x",
                    "touch " + root + "/" + "0".repeat(64),
                    "echo forged > " + root + "/.verified/" + Path.of(file).getFileName())) {
                assertThat(exec(id, attempt))
                        .as(attempt + " (the unprivileged user is refused before the read-only mount is asked)")
                        .startsWith("1: ")
                        .containsAnyOf("Read-only file system", "Permission denied");
            }
            String mount =
                    Files.readAllLines(Path.of("/proc", Long.toString(a.pid().orElseThrow()), "mountinfo")).stream()
                            .filter(l -> l.split(" ")[4].equals(root.toString()))
                            .findFirst()
                            .orElseThrow();
            assertThat(mount.split(" ")[5])
                    .as("the store's mount in the container: " + mount)
                    .startsWith("ro");
            assertThat(store.scrub(Path.of(file).getFileName().toString()))
                    .as("the file is intact")
                    .isTrue();
        } finally {
            a.destroy();
            b.destroy();
        }
    }

    @Test
    void aRestartedInvokerRemovesTheContainersItsPredecessorLeft() throws Exception {
        String name = "orphans-" + UUID.randomUUID().toString().substring(0, 8);
        DockerContainerFactory crashed = new DockerContainerFactory(settings(name), Clock.systemUTC());
        Container left = crashed.create("o-1", 128, "java");
        String dockerId = ((DockerContainer) left).dockerId();
        assertThat(api.listByLabel(DockerContainerFactory.LABEL_INVOKER, name)).containsExactly(dockerId);
        // no close(): the invoker "died"; the next one with the same name cleans up at start
        try (DockerContainerFactory restarted = new DockerContainerFactory(settings(name), Clock.systemUTC())) {
            assertThat(api.listByLabel(DockerContainerFactory.LABEL_INVOKER, name))
                    .isEmpty();
            assertThat(restarted.liveCount()).isZero();
        }
        crashed.close(); // only to drop its shutdown hook; its container is already gone
    }
}
