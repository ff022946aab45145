package dev.hearth.invoker.container.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.json.Json;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import dev.hearth.testsupport.DockerEngine;
import dev.hearth.testsupport.RequiresDocker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    static RunRequest run(String json) {
        return new RunRequest(
                Json.tree(json), "ns", "/ns/a", "0".repeat(32), "tx", System.currentTimeMillis() + 60_000, null);
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

    @Test
    void theTensorRootIsVisibleReadOnlyInTwoContainers() throws Exception {
        Path tensor = dir.resolve("tensors").resolve("abc123");
        Files.writeString(tensor, "shared weights");
        Path jar = ActionJars.build(dir.resolve("artifacts"), ActionFixture.READ_FILE);
        Container a = started(jar, ActionFixture.READ_FILE.mainClass(), 256);
        Container b = started(jar, ActionFixture.READ_FILE.mainClass(), 256);
        try {
            for (Container c : List.of(a, b)) {
                RunResult r = c.run(run("{\"path\":\"" + tensor + "\"}"), TIMEOUT, 1 << 20);
                var body = ((RunResult.Responded) r).body();
                assertThat(body.path("content").asString()).isEqualTo("shared weights");
                assertThat(body.path("writeError").asString()).contains("Read-only file system");
            }
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
