package dev.hearth.invoker.container.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker factory over a stubbed engine: what it asks the engine for, and how it reads the answers. */
class DockerContainerFactoryTest {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    final StubDockerApi api = new StubDockerApi();

    DockerContainerFactory.Settings settings(String network, double cpusPerGb, Duration startTimeout) {
        return new DockerContainerFactory.Settings(
                "unix:///var/run/docker.sock",
                "hearth/runtime-proxy:latest",
                network,
                "invoker7",
                startTimeout,
                256,
                64,
                true,
                cpusPerGb,
                dir.resolve("artifacts"),
                dir.resolve("tensors"),
                Map.of("EXTRA", "1"));
    }

    DockerContainerFactory factory() {
        return new DockerContainerFactory(settings("bridge", 0, TIMEOUT), api, Clock.systemUTC());
    }

    static RunRequest run() {
        return new RunRequest(RawJson.of(Json.tree("{}")), "ns", "/ns/a", "0".repeat(32), "tx", 0, null, 0);
    }

    @Test
    void aJavaContainerGetsTheActionsLimitsHardeningLabelsAndMounts() throws Exception {
        Files.createDirectories(dir.resolve("tensors"));
        try (DockerContainerFactory f = factory()) {
            DockerApi.ContainerSpec s = f.spec("inv7-x-1", 256, "java");
            assertThat(s.name()).isEqualTo("hearth-inv7-x-1");
            assertThat(s.image()).isEqualTo("hearth/runtime-proxy:latest");
            assertThat(s.memoryBytes()).isEqualTo(256L << 20);
            assertThat(s.cpuShares()).isEqualTo(1024);
            assertThat(s.nanoCpus()).isZero();
            assertThat(s.pidsLimit()).isEqualTo(256);
            assertThat(s.readOnlyRootFs()).isTrue();
            assertThat(s.tmpfs()).containsEntry("/tmp", "rw,exec,nosuid,nodev,size=64m");
            assertThat(s.labels())
                    .containsEntry(DockerContainerFactory.LABEL_INVOKER, "invoker7")
                    .containsEntry(DockerContainerFactory.LABEL_CONTAINER, "inv7-x-1");
            assertThat(s.binds())
                    .as("a Java function never sees the tensor store")
                    .containsExactly(new DockerApi.Bind(dir.resolve("artifacts"), dir.resolve("artifacts"), true));
            assertThat(s.env()).containsEntry("EXTRA", "1").doesNotContainKey("HEARTH_TENSOR_ROOT");
            assertThat(s.network()).isEqualTo("bridge");
            assertThat(s.command())
                    .containsExactly(
                            "java",
                            "@/opt/hearth/proxy/jvm.args",
                            "-Xmx179m",
                            "dev.hearth.proxy.RuntimeProxy",
                            "--host",
                            "0.0.0.0",
                            "--port",
                            "8080");
        }
    }

    @Test
    void aModelContainerGetsASmallHeapAndC2AndAHostNetworkProxyAFreePort() {
        try (DockerContainerFactory f =
                new DockerContainerFactory(settings("host", 2.0, TIMEOUT), api, Clock.systemUTC())) {
            DockerApi.ContainerSpec s = f.spec("m-1", 1024, "djl:pytorch");
            assertThat(s.command())
                    .containsSubsequence("-XX:TieredStopAtLevel=4", "-Xmx256m")
                    .endsWith("--host", "127.0.0.1", "--port", "0");
            assertThat(s.nanoCpus()).as("2 CPUs per GB").isEqualTo(2_000_000_000L);
            assertThat(s.binds())
                    .as("the tensor store, read-only")
                    .containsExactly(
                            new DockerApi.Bind(dir.resolve("artifacts"), dir.resolve("artifacts"), true),
                            new DockerApi.Bind(dir.resolve("tensors"), dir.resolve("tensors"), true));
            assertThat(s.env())
                    .containsEntry("HEARTH_TENSOR_ROOT", dir.resolve("tensors").toString());
        }
    }

    @Test
    void withSharingOffAModelContainerGetsNoStore() {
        DockerContainerFactory.Settings on = settings("bridge", 0, TIMEOUT);
        DockerContainerFactory.Settings off = new DockerContainerFactory.Settings(
                on.dockerHost(),
                on.image(),
                on.network(),
                on.invokerName(),
                on.startTimeout(),
                on.pidsLimit(),
                on.tmpfsMb(),
                on.readOnlyRootFs(),
                on.cpusPerGb(),
                on.artifactDir(),
                null,
                on.env());
        try (DockerContainerFactory f = new DockerContainerFactory(off, api, Clock.systemUTC())) {
            DockerApi.ContainerSpec s = f.spec("m-2", 1024, "djl:pytorch");
            assertThat(s.binds()).hasSize(1);
            assertThat(s.env()).doesNotContainKey("HEARTH_TENSOR_ROOT");
        }
    }

    @Test
    void cpuSharesAreFourPerMegabyteTimesTheShareWithinDockersRange() {
        assertThat(DockerContainerFactory.cpuShares(256, 1.0)).isEqualTo(1024);
        assertThat(DockerContainerFactory.cpuShares(1024, 10.0))
                .as("a rare function's")
                .isEqualTo(40960);
        assertThat(DockerContainerFactory.cpuShares(8192, 100.0))
                .as("Docker refuses more than 262144")
                .isEqualTo(262_144);
        assertThat(DockerContainerFactory.cpuShares(128, 0.001))
                .as("nor less than 2")
                .isEqualTo(2);
    }

    @Test
    void anInvokerRemovesTheContainersOfItsPredecessorAtStart() {
        api.orphans = List.of("old-1", "old-2");
        try (DockerContainerFactory f = factory()) {
            assertThat(api.calls).contains("list dev.hearth.invoker=invoker7", "remove old-1", "remove old-2");
        }
    }

    @Test
    void aMissingImageIsAClearError() {
        api.image = false;
        assertThatThrownBy(this::factory)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no image hearth/runtime-proxy:latest")
                .hasMessageContaining("deploy/docker/build-images");
    }

    @Test
    void createAttachesBeforeStartWaitsForReadyAndCollectsEachActivationsLogs() throws Exception {
        try (DockerContainerFactory f = factory()) {
            Container c = f.create("c-1", 256, "java");
            assertThat(api.calls).containsSubsequence("create docker-1", "attach docker-1", "start docker-1");
            assertThat(c.startTimings().runtimeStartMs()).isEqualTo(42);
            assertThat(c.pid())
                    .as("the engine's host pid of the proxy, for its memory figures")
                    .hasValue(4242);
            Path jar = Files.writeString(dir.resolve("artifacts").resolve("a.jar"), "jar");
            assertThat(c.init(new InitRequest("a", "A", jar, Map.of()), TIMEOUT).loadMs())
                    .isEqualTo(3);
            RunResult r = c.run(run(), TIMEOUT, 1 << 20);
            assertThat(((RunResult.Responded) r).body().path("done").asInt()).isEqualTo(1);
            assertThat(r.logs())
                    .as("the start-up warning belongs to no activation")
                    .hasSize(2)
                    .anyMatch(l -> l.endsWith("stdout: hello out"))
                    .anyMatch(l -> l.endsWith("stderr: hello err"));
            assertThat(Files.getPosixFilePermissions(jar).toString()).contains("OTHERS_READ");
            c.destroy();
            c.destroy();
            assertThat(api.calls.stream().filter(x -> x.equals("remove docker-1")))
                    .hasSize(1);
            assertThat(c.isAlive()).isFalse();
            assertThat(f.liveCount()).isZero();
            assertThat(c.pid()).isEmpty();
        }
    }

    @Test
    void aContainerThatDiesBeforeReadyIsRemovedAndExplained() {
        api.onStart = "dies";
        try (DockerContainerFactory f = factory()) {
            assertThatThrownBy(() -> f.create("c-2", 256, "java"))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("container c-2 the container exited")
                    .hasMessageContaining("stderr: Error: could not start");
            assertThat(api.calls).contains("remove docker-1", "detach docker-1");
        }
    }

    @Test
    void aSilentContainerTimesOutAndIsRemoved() {
        api.onStart = "silent";
        try (DockerContainerFactory f =
                new DockerContainerFactory(settings("bridge", 0, Duration.ofMillis(200)), api, Clock.systemUTC())) {
            assertThatThrownBy(() -> f.create("c-3", 256, "java"))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("did not print its READY line within 200 ms");
            assertThat(api.calls).contains("remove docker-1");
        }
    }

    @Test
    void aRunCutShortByTheKernelsOomKillerSaysMemoryExhausted() throws Exception {
        api.onStart = "refused";
        api.oomKilled = true;
        try (DockerContainerFactory f = factory()) {
            Container c = f.create("c-4", 128, "java");
            RunResult r = c.run(run(), TIMEOUT, 1 << 20);
            assertThat(r).isInstanceOf(RunResult.Exited.class);
            assertThat(((RunResult.Exited) r).memoryExhausted()).isTrue();
            assertThat(c.isAlive()).isFalse();
            assertThat(api.calls).contains("remove docker-1");
        }
    }

    @Test
    void pauseAndResumeReachTheEngineOnceEach() throws Exception {
        try (DockerContainerFactory f = factory()) {
            Container c = f.create("c-5", 256, "java");
            c.resume(); // not paused: nothing to do
            c.pause();
            c.pause();
            c.resume();
            c.resume();
            assertThat(api.calls.stream().filter(x -> x.contains("pause ")))
                    .containsExactly("pause docker-1", "unpause docker-1");
        }
    }

    @Test
    void closeRemovesEveryLiveContainer() throws Exception {
        DockerContainerFactory f = factory();
        f.create("c-6", 256, "java");
        f.create("c-7", 256, "java");
        f.close();
        assertThat(api.calls).contains("remove docker-1", "remove docker-2", "close");
        assertThat(f.liveCount()).isZero();
    }

    @Test
    void closeRemovesAContainerStillStartingAndRefusesNewOnes() throws Exception {
        api.onStart = "silent"; // it would wait for READY until the start timeout
        DockerContainerFactory f =
                new DockerContainerFactory(settings("bridge", 0, Duration.ofSeconds(30)), api, Clock.systemUTC());
        var starting = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return f.create("c-9", 256, "java");
            } catch (ContainerException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        while (!api.calls.contains("start docker-1")) {
            Thread.sleep(5);
        }
        f.close();
        assertThat(api.calls).containsSubsequence("start docker-1", "remove docker-1", "close");
        assertThatThrownBy(() -> starting.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .as("its start fails at once rather than at the timeout")
                .hasCauseInstanceOf(ContainerException.class);
        assertThat(api.calls.stream().filter(c -> c.equals("remove docker-1"))).hasSize(1);
        assertThatThrownBy(() -> f.create("c-10", 256, "java"))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("closed");
        assertThat(api.calls).doesNotContain("create docker-2");
    }

    @Test
    void otherKindsAreRefused() {
        try (DockerContainerFactory f = factory()) {
            assertThatThrownBy(() -> f.create("c-8", 256, "nodejs:20"))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("not nodejs:20");
        }
    }
}
