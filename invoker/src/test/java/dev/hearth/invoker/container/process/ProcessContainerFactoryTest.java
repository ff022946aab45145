package dev.hearth.invoker.container.process;

import static dev.hearth.invoker.container.RunRequests.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hearth.common.json.Json;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.InitFailedException;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.ProxyJvmFlags;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.proxy.RuntimeProxy;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spawns real runtime-proxy processes with jars compiled by ActionJars. */
class ProcessContainerFactoryTest {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final long LOG_LIMIT = 10L * 1024 * 1024;

    @TempDir
    static Path dir;

    static ProcessContainerFactory factory;
    static Path cgroupRoot;

    @BeforeAll
    static void start() {
        cgroupRoot = Path.of("/sys/fs/cgroup/memory/hearth-test-"
                + UUID.randomUUID().toString().substring(0, 8));
        factory = new ProcessContainerFactory(settings(cgroupRoot, List.of()), Clock.systemUTC());
    }

    static ProcessContainerFactory.Settings settings(Path cgroups, List<String> extraFlags) {
        return settings(cgroups, extraFlags, true);
    }

    static ProcessContainerFactory.Settings settings(Path cgroups, List<String> extraFlags, boolean warmUpEngine) {
        return settings(cgroups, extraFlags, warmUpEngine, null);
    }

    static ProcessContainerFactory.Settings settings(
            Path cgroups, List<String> extraFlags, boolean warmUpEngine, InvokerProperties.Tensors tensors) {
        InvokerProperties p = new InvokerProperties(
                0,
                4096,
                null,
                dir,
                null,
                null,
                null,
                new InvokerProperties.Process(
                        null, null, extraFlags, Duration.ofSeconds(10), cgroups, null, warmUpEngine, null),
                dir.resolve("djl"),
                tensors,
                null,
                null,
                null,
                null,
                null);
        return ProcessContainerFactory.settings(p);
    }

    @AfterAll
    static void stop() throws Exception {
        factory.close();
        assertThat(factory.liveCount()).isZero();
        Files.deleteIfExists(cgroupRoot);
        assertThat(proxyProcesses()).as("no runtime proxy survives").isEmpty();
    }

    static List<ProcessHandle> proxyProcesses() {
        return ProcessHandle.current()
                .descendants()
                .filter(p -> p.isAlive() && p.info().commandLine().orElse("").contains("dev.hearth.proxy.RuntimeProxy"))
                .toList();
    }

    static Container started(ActionFixture fixture) throws Exception {
        Container c = factory.create("t-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
        c.init(
                new InitRequest(
                        fixture.name(), fixture.mainClass(), ActionJars.build(dir.resolve("jars"), fixture), Map.of()),
                TIMEOUT);
        return c;
    }

    @Test
    void modelContainersGetFullTieredCompilationJavaContainersKeepC1() {
        List<String> model = factory.command(1024, "djl:pytorch");
        List<String> java = factory.command(256, "java");
        assertThat(model).contains(ProxyJvmFlags.FULL_TIERED);
        assertThat(model.indexOf(ProxyJvmFlags.FULL_TIERED))
                .as("after the recommended C1-only flag, so it wins")
                .isGreaterThan(model.indexOf("-XX:TieredStopAtLevel=1"));
        assertThat(java).doesNotContain(ProxyJvmFlags.FULL_TIERED).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void configuredExtraFlagsComeAfterThePerKindOnesSoTheyWin() {
        try (ProcessContainerFactory tuned = new ProcessContainerFactory(
                settings(dir.resolve("no-cgroup"), List.of("-Xms64m", "-Xmx300m"), false), Clock.systemUTC())) {
            List<String> model = tuned.command(1024, "djl:pytorch");
            assertThat(model).containsSubsequence(ProxyJvmFlags.flags(1024, "djl:pytorch"));
            assertThat(model).containsSubsequence("-Xms32m", "-Xmx256m", "-Xms64m", "-Xmx300m");
            assertThat(model.indexOf("-Xmx300m")).isLessThan(model.indexOf(RuntimeProxy.class.getName()));
        }
    }

    @Test
    void theProxiesClassCacheIsWrittenAtStartWhenTheProxyRunsFromJars() throws Exception {
        ProcessContainerFactory.Settings settings = settings(cgroupRoot, List.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(
                settings.classCache() instanceof ProxyClassCache.None,
                "the proxy is on the class path as classes, not a jar: class data sharing does not apply");
        assertThat(settings.classCache())
                .as("this JDK's proxies get an AOT cache from 25 on")
                .isInstanceOf(
                        Runtime.version().feature() >= 25
                                ? ProxyClassCache.AotCache.class
                                : ProxyClassCache.DynamicArchive.class);
        // the class's factory was made with these settings: its warm-up writes the cache (an AOT cache is
        // assembled in a child JVM after the proxy's exit: seconds on a busy machine)
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (settings.classCache().missing() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(settings.classCache().missing())
                .as("written by the factory's start-up")
                .isFalse();
        List<String> command = factory.command(256, "java");
        assertThat(command).containsAll(settings.classCache().flags());
        if (settings.classCache() instanceof ProxyClassCache.AotCache aot) {
            assertThat(command).contains("-XX:AOTCache=" + aot.file()).noneMatch(f -> f.startsWith("-Xshare:"));
            ProcessContainer c = (ProcessContainer)
                    factory.create("aot-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
            try {
                // the JVM maps a cache it accepted (and runs on without one it refused)
                assertThat(Files.readString(Path.of("/proc/" + c.pid().orElseThrow() + "/maps")))
                        .as("a proxy started now maps the cache")
                        .contains(aot.file().toString());
            } finally {
                c.destroy();
            }
        }
    }

    @Test
    void echoColdThenWarm() throws Exception {
        Path jar = ActionJars.build(dir.resolve("jars"), ActionFixture.ECHO);
        long t0 = System.nanoTime();
        Container c = factory.create("echo-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
        long ready = System.nanoTime();
        c.init(new InitRequest("echo", ActionFixture.ECHO.mainClass(), jar, Map.of()), TIMEOUT);
        long initDone = System.nanoTime();
        RunResult first = c.run(run("{\"hello\":\"world\"}"), TIMEOUT, LOG_LIMIT);
        assertThat(first).isInstanceOf(RunResult.Responded.class);
        RunResult.Responded r = (RunResult.Responded) first;
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(Json.tree("{\"hello\":\"world\"}"));
        List<Long> warm = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            long s = System.nanoTime();
            RunResult.Responded again = (RunResult.Responded) c.run(run("{\"i\":" + i + "}"), TIMEOUT, LOG_LIMIT);
            warm.add((System.nanoTime() - s) / 1_000);
            assertThat(again.body().get("i").asInt()).isEqualTo(i);
        }
        warm.sort(null);
        System.out.printf(
                "TIMING process container: READY %d ms, init %d ms, warm /run p50 %d us, p90 %d us%n",
                (ready - t0) / 1_000_000, (initDone - ready) / 1_000_000, warm.get(15), warm.get(27));
        c.destroy();
        assertThat(c.isAlive()).isFalse();
        List<Long> readyMs = new ArrayList<>();
        List<Long> initMs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long s0 = System.nanoTime();
            Container cold = factory.create(
                    "cold-" + i + "-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
            long s1 = System.nanoTime();
            cold.init(new InitRequest("echo", ActionFixture.ECHO.mainClass(), jar, Map.of()), TIMEOUT);
            long s2 = System.nanoTime();
            cold.destroy();
            readyMs.add((s1 - s0) / 1_000_000);
            initMs.add((s2 - s1) / 1_000_000);
        }
        System.out.printf("TIMING 5 cold starts (256 MB, cgroup): READY ms %s, init ms %s%n", readyMs, initMs);
    }

    @Test
    void aBackgroundContainerRunsEveryThreadAtNice19UntilItIsMovedBackAndItsCpuShareIsANiceLevel() throws Exception {
        if (NiceLevels.find().isEmpty()) {
            assertThat(System.getenv("CI"))
                    .as("CI runs as root: nice levels must be usable")
                    .isNotEqualTo("true");
            System.err.println("\n*** SKIPPED: this process may not raise a nice level again (no CAP_SYS_NICE) ***\n");
            org.junit.jupiter.api.Assumptions.abort("nice levels not usable");
        }
        Path jar = ActionJars.build(dir.resolve("jars"), ActionFixture.ECHO);
        Container c = factory.create(
                "nice-" + UUID.randomUUID().toString().substring(0, 8), 256, "java", CpuPriority.BACKGROUND);
        long pid = c.pid().orElseThrow();
        assertThat(NiceLevels.levels(pid))
                .as("every thread from the start")
                .hasSizeGreaterThan(5)
                .containsOnly(19);
        c.init(new InitRequest("echo", ActionFixture.ECHO.mainClass(), jar, Map.of()), TIMEOUT);

        long t0 = System.nanoTime();
        c.cpuPriority(CpuPriority.NORMAL);
        System.out.printf(
                "TIMING moving %d threads out of the background: %d us%n",
                NiceLevels.levels(pid).size(), (System.nanoTime() - t0) / 1_000);
        assertThat(NiceLevels.levels(pid)).containsOnly(0);
        for (int i = 0; i < 5; i++) {
            assertThat(c.run(run("{\"i\":" + i + "}"), TIMEOUT, LOG_LIMIT)).isInstanceOf(RunResult.Responded.class);
        }
        assertThat(NiceLevels.levels(pid)).as("threads made after the move too").containsOnly(0);

        c.cpuShare(2.0); // the scheduler's vertical scaling: the nearest weight
        assertThat(NiceLevels.levels(pid)).containsOnly(-3);
        c.cpuShare(0.5);
        assertThat(NiceLevels.levels(pid))
                .as("never below the platform's own threads")
                .containsOnly(0);

        c.cpuPriority(CpuPriority.BACKGROUND);
        assertThat(NiceLevels.levels(pid)).containsOnly(19);
        c.cpuShare(2.0);
        assertThat(NiceLevels.levels(pid))
                .as("a share waits for the normal priority")
                .containsOnly(19);
        c.cpuPriority(CpuPriority.NORMAL);
        assertThat(NiceLevels.levels(pid)).as("back, with the latest share").containsOnly(-3);
        c.destroy();
    }

    @Test
    void aContainersTemporaryFilesAreInItsWorkDirectoryWhichGoesWithIt() throws Exception {
        String id = "tmp-" + UUID.randomUUID().toString().substring(0, 8);
        Container c = factory.create(id, 256, "java");
        Path work = dir.resolve("containers").resolve(id);
        String cmdline = Files.readString(Path.of("/proc", Long.toString(c.pid().orElseThrow()), "cmdline"));
        assertThat(cmdline.split("\0")).contains("-Djava.io.tmpdir=" + work.resolve("tmp"));
        // what a proxy killed in the middle of a model load leaves: an extracted bundle
        Files.writeString(
                Files.createDirectories(work.resolve("tmp/hearth-bundle-1")).resolve("model.params"), "w");
        ((ProcessContainer) c).destroyNow();
        assertThat(work).doesNotExist();
    }

    @Test
    void everyContainerHasTheInvokersEnvironmentForItsRuntime() throws Exception {
        Container c = factory.create("env-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
        try {
            String environ =
                    Files.readString(Path.of("/proc", Long.toString(c.pid().orElseThrow()), "environ"));
            assertThat(environ.split("\0"))
                    .as("hearth.invoker.cpu.gomp-spin-count's default")
                    .contains("GOMP_SPINCOUNT=10000");
        } finally {
            c.destroy();
        }
    }

    @Test
    void logsAreCutAtTheSentinels() throws Exception {
        Container c = started(ActionFixture.LOGS);
        RunResult.Responded first = (RunResult.Responded) c.run(run("{\"lines\":3}"), TIMEOUT, LOG_LIMIT);
        assertThat(first.logs()).hasSize(6);
        assertThat(first.logs())
                .allMatch(l -> l.matches(
                        "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z (stdout: stdout|stderr: stderr) \\d"));
        assertThat(first.logs().stream().filter(l -> l.contains("stdout: ")).map(l -> l.substring(28)))
                .containsExactly("stdout: stdout 1", "stdout: stdout 2", "stdout: stdout 3");
        assertThat(first.logs()).noneMatch(l -> l.contains("XXX_THE_END"));
        RunResult.Responded second = (RunResult.Responded) c.run(run("{\"lines\":1}"), TIMEOUT, LOG_LIMIT);
        assertThat(second.logs()).hasSize(2);
        assertThat(String.join("\n", second.logs()))
                .contains("stdout: stdout 1")
                .contains("stderr: stderr 1");
        c.destroy();
    }

    @Test
    void anActivationThatPrintsNothingWaitsForNoSentinelAndTheNextGetsExactlyItsOwnLines() throws Exception {
        Container c = started(ActionFixture.LOGS);
        c.run(run("{\"lines\":0}"), TIMEOUT, LOG_LIMIT); // the first may carry the start-up's announcement
        long t0 = System.nanoTime();
        RunResult.Responded quiet = (RunResult.Responded) c.run(run("{\"lines\":0}"), TIMEOUT, LOG_LIMIT);
        long quietMs = (System.nanoTime() - t0) / 1_000_000;
        assertThat(quiet.logs()).isEmpty();
        assertThat(quietMs)
                .as("no wait for a sentinel that does not come")
                .isLessThan(ProcessContainer.SENTINEL_WAIT.toMillis());
        RunResult.Responded next = (RunResult.Responded) c.run(run("{\"lines\":1}"), TIMEOUT, LOG_LIMIT);
        assertThat(next.logs().stream().map(l -> l.substring(28)))
                .containsExactlyInAnyOrder("stdout: stdout 1", "stderr: stderr 1");
        c.destroy();
    }

    @Test
    void logsAreTruncatedAtTheLimit() throws Exception {
        Container c = started(ActionFixture.LOGS);
        RunResult.Responded r = (RunResult.Responded) c.run(run("{\"lines\":200}"), TIMEOUT, 1000);
        List<String> logs = r.logs();
        assertThat(logs.getLast())
                .isEqualTo("Logs were truncated because the total bytes size exceeds the limit of 1000 bytes.");
        long bytes = logs.subList(0, logs.size() - 1).stream()
                .mapToLong(l -> l.length() + 1)
                .sum();
        assertThat(bytes).isLessThanOrEqualTo(1000).isGreaterThan(800);
        // the next activation starts clean
        RunResult.Responded next = (RunResult.Responded) c.run(run("{\"lines\":1}"), TIMEOUT, LOG_LIMIT);
        assertThat(next.logs()).hasSize(2);
        c.destroy();
    }

    @Test
    void timeoutKillsTheProcess() throws Exception {
        Container c = started(ActionFixture.SLEEP);
        long pid = ((ProcessContainer) c).pid().orElseThrow();
        long t0 = System.nanoTime();
        RunResult r = c.run(run("{\"ms\":20000}"), Duration.ofMillis(500), LOG_LIMIT);
        assertThat(r).isInstanceOf(RunResult.TimedOut.class);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
        assertThat(c.isAlive()).isFalse();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .isFalse();
    }

    @Test
    void processExitingMidRunIsReported() throws Exception {
        Container c = started(ActionFixture.EXIT);
        RunResult r = c.run(run("{\"code\":3}"), TIMEOUT, LOG_LIMIT);
        assertThat(r).isInstanceOf(RunResult.Exited.class);
        assertThat(r.containerHealthy()).isFalse();
        assertThat(String.join("\n", r.logs())).contains("stdout: exiting with 3");
        assertThat(c.isAlive()).isFalse();
    }

    @Test
    void actionErrorIsA502AndTheContainerStaysUsable() throws Exception {
        Container c = started(ActionFixture.FAIL);
        RunResult.Responded r = (RunResult.Responded) c.run(run("{\"message\":\"kaput\"}"), TIMEOUT, LOG_LIMIT);
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.body().get("error").asString()).contains("kaput");
        assertThat(r.containerHealthy()).isTrue();
        assertThat(c.isAlive()).isTrue();
        c.destroy();
    }

    @Test
    void initWithAMissingClassFails() throws Exception {
        Container c = factory.create("bad-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
        Path jar = ActionJars.build(dir.resolve("jars"), ActionFixture.ECHO);
        assertThatThrownBy(() -> c.init(new InitRequest("x", "no.such.Main", jar, Map.of()), TIMEOUT))
                .isInstanceOf(InitFailedException.class)
                .hasMessageContaining("no.such.Main");
        c.destroy();
    }

    @Test
    void aProcessThatCannotStartFailsCreateAndLeavesNothing() {
        try (ProcessContainerFactory broken = new ProcessContainerFactory(
                settings(dir.resolve("no-cgroup"), List.of("-XX:+NoSuchFlagForSure"), false), Clock.systemUTC())) {
            assertThatThrownBy(() -> broken.create("broken", 128, "java"))
                    .isInstanceOf(ContainerException.class)
                    .hasMessageContaining("NoSuchFlagForSure");
            assertThat(broken.liveCount()).isZero();
        }
    }

    @Test
    void memoryCgroupIsAppliedWhenWritable() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup/memory")), "cgroup v1 memory is not writable here");
        ProcessContainer c = (ProcessContainer)
                factory.create("cg-" + UUID.randomUUID().toString().substring(0, 8), 128, "java");
        Path group = c.cgroup().orElseThrow();
        assertThat(Files.readString(group.resolve("memory.limit_in_bytes")).strip())
                .isEqualTo(Long.toString(128L * 1024 * 1024));
        assertThat(Files.readAllLines(group.resolve("cgroup.procs")))
                .contains(Long.toString(c.pid().orElseThrow()));
        c.destroy();
        assertThat(group).doesNotExist();
    }

    @Test
    void aModelContainerGetsASmallHeapTheWholeMemoryLimitAndTheDjlCache() throws Exception {
        ProcessContainer model = (ProcessContainer)
                factory.create("djl-" + UUID.randomUUID().toString().substring(0, 8), 2048, "djl:pytorch");
        ProcessContainer java = (ProcessContainer)
                factory.create("jv-" + UUID.randomUUID().toString().substring(0, 8), 2048, "java");
        try {
            List<String> modelCmd = cmdline(model.pid().orElseThrow());
            assertThat(modelCmd).contains("-Xmx512m").contains("dev.hearth.proxy.RuntimeProxy");
            assertThat(String.join(":", modelCmd)).contains("pytorch-engine-").contains("hearth-model");
            assertThat(cmdline(java.pid().orElseThrow())).contains("-Xmx1433m");
            String cache = "DJL_CACHE_DIR=" + dir.resolve("djl").toAbsolutePath();
            assertThat(environ(model.pid().orElseThrow())).contains(cache);
            assertThat(environ(java.pid().orElseThrow())).contains(cache);
            assertThat(model.startTimings().runtimeStartMs()).isNotNull().isPositive();
            assertThat(model.startTimings().createToReadyMs())
                    .as("the proxy's clock reads /proc at 10 ms resolution")
                    .isGreaterThanOrEqualTo(model.startTimings().runtimeStartMs() - 25);
            if (model.cgroup().isPresent()) {
                assertThat(Files.readString(model.cgroup().get().resolve("memory.limit_in_bytes"))
                                .strip())
                        .as("the cgroup gets the action's whole memory")
                        .isEqualTo(Long.toString(2048L * 1024 * 1024));
            }
        } finally {
            model.destroy();
            java.destroy();
        }
        assertThatThrownBy(() -> factory.create("odd", 256, "nodejs:20"))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining("nodejs:20");
    }

    @Test
    void withMergeRuntimeAModelContainerStartsWithLibtorchPreloadedNoAslrAndItsPagesOfferedToKsm() throws Exception {
        InvokerProperties.Tensors merging =
                new InvokerProperties.Tensors(true, dir.resolve("merge-tensors"), null, false, true);
        try (ProcessContainerFactory merged = new ProcessContainerFactory(
                settings(dir.resolve("no-cgroup"), List.of(), true, merging), Clock.systemUTC())) {
            Container model = merged.create("mr-" + UUID.randomUUID().toString().substring(0, 8), 1024, "djl:pytorch");
            Container java = merged.create("mj-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
            long pid = model.pid().orElseThrow();
            List<String> env = environ(pid);
            assertThat(env).contains("HEARTH_MERGE_PAGES=1");
            String preload = env.stream()
                    .filter(e -> e.startsWith("LD_PRELOAD="))
                    .findFirst()
                    .orElseThrow();
            assertThat(preload)
                    .contains("libc10.so")
                    .contains("libtorch_cpu.so")
                    .contains("libtorch.so");
            assertThat(preload)
                    .as("the stack-guard shim last, so its constructor runs before libtorch's")
                    .matches(".*libtorch\\.so:[^:]*/hearth-stack-guard-[0-9a-f]{16}\\.so$");
            assertThat(env).anyMatch(e -> e.matches(RuntimeProxy.STACK_GUARD_ENV + "=[0-9a-f]+00"));
            assertThat(proxyStats(model).get("sharedStackGuard").asBoolean())
                    .as("the proxy runs with the machine's canary")
                    .isTrue();
            assertThat(libtorchCopies(pid))
                    .as("libtorch is in the process before the engine is asked for")
                    .hasSize(1);
            assertThat(personality(pid) & ADDR_NO_RANDOMIZE)
                    .as("address randomisation off")
                    .isNotZero();
            Path ksm = Path.of("/proc/" + pid + "/ksm_stat");
            if (Files.exists(ksm)) { // Linux 6.1+
                assertThat(Files.readString(ksm)).contains("ksm_merge_any: yes");
            }
            model.prewarm("djl:pytorch"); // DJL loads the engine: it must find the preloaded libtorch
            assertThat(libtorchCopies(pid))
                    .as("one libtorch, not a second copy")
                    .hasSize(1);
            assertThat(model.isAlive()).isTrue();
            Container plain =
                    factory.create("mp-" + UUID.randomUUID().toString().substring(0, 8), 1024, "djl:pytorch");
            try {
                assertThat(mlpOutput(model)).as("the same output merged or not").isEqualTo(mlpOutput(plain));
            } finally {
                plain.destroy();
            }
            long javaPid = java.pid().orElseThrow();
            assertThat(environ(javaPid)).noneMatch(e -> e.startsWith("LD_PRELOAD=") || e.startsWith("HEARTH_MERGE"));
            assertThat(personality(javaPid) & ADDR_NO_RANDOMIZE).isZero();
            assertThat(personality(pid)).isNotEqualTo(personality(javaPid));
            model.destroy();
            java.destroy();
        }
        List<String> plain = factory.command(1024, "djl:pytorch");
        assertThat(plain.get(0)).as("without merge-runtime no launcher").endsWith("/java");
    }

    static final long ADDR_NO_RANDOMIZE = 0x0040000;

    /** The proxy's own {@code GET /stats}. */
    static tools.jackson.databind.JsonNode proxyStats(Container c) throws Exception {
        int port = ((ProcessContainer) c).port();
        try (java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient()) {
            String body = client.send(
                            java.net.http.HttpRequest.newBuilder(
                                            java.net.URI.create("http://127.0.0.1:" + port + "/stats"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            return Json.tree(body);
        }
    }

    /** Loads the demo MLP (fixed seed) into {@code c} and runs one fixed input through it. */
    static String mlpOutput(Container c) throws Exception {
        Path bundle = dir.resolve("mlp.d");
        if (!Files.isDirectory(bundle)) {
            dev.hearth.model.bundle.ExtractedBundle.extractTo(
                    dev.hearth.model.demo.DemoModels.mlp(Files.createDirectories(dir.resolve("mlp-zip"))), bundle);
        }
        c.init(new InitRequest("mlp", null, bundle, Map.of(), "djl:pytorch"), Duration.ofSeconds(60));
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            data.append(i == 0 ? "" : ",").append((i % 17) / 17.0f);
        }
        RunResult r = c.run(
                run("{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784],\"dtype\":\"float32\",\"data\":[" + data + "]}]}"),
                Duration.ofSeconds(30),
                LOG_LIMIT);
        assertThat(r).isInstanceOf(RunResult.Responded.class);
        RunResult.Responded ok = (RunResult.Responded) r;
        assertThat(ok.status()).as(ok.body().toString()).isEqualTo(200);
        assertThat(ok.body().toString()).contains("logits");
        return ok.body().toString();
    }

    static long personality(long pid) throws java.io.IOException {
        return Long.parseLong(
                Files.readString(Path.of("/proc/" + pid + "/personality")).strip(), 16);
    }

    static List<String> libtorchCopies(long pid) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .filter(path -> path.endsWith("/libtorch_cpu.so"))
                .distinct()
                .toList();
    }

    static List<String> cmdline(long pid) throws java.io.IOException {
        return List.of(new String(
                        Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                        java.nio.charset.StandardCharsets.UTF_8)
                .split("\0"));
    }

    static List<String> environ(long pid) throws java.io.IOException {
        return List.of(new String(
                        Files.readAllBytes(Path.of("/proc/" + pid + "/environ")),
                        java.nio.charset.StandardCharsets.UTF_8)
                .split("\0"));
    }
}
