package dev.hearth.invoker.container.process;

import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerEnv;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.ProxyJvmFlags;
import dev.hearth.invoker.container.StartTimings;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.proxy.RuntimeProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers as child JVMs: {@code java -Djava.io.tmpdir=<work dir>/tmp <proxy flags> <ProxyJvmFlags.flags>
 * <extra flags> -cp <proxy classpath> dev.hearth.proxy.RuntimeProxy --host 127.0.0.1 --port 0}, work
 * directory {@code <dataDir>/containers/<id>} (deleted with the container, temporary files included: a
 * killed proxy cannot clean up the bundles it extracted), environment {@code DJL_CACHE_DIR=<djl cache>} (every container,
 * so a Java action that uses DJL shares the machine's extracted natives too). {@link #create} waits
 * for the proxy's {@code HEARTH_PROXY_READY port=<port> startupMs=<ms>} line on stdout (or fails after
 * the start timeout, or as soon as the process exits) and puts the process in a cgroup v1 memory
 * group when the machine allows it. Two platform threads per process read stdout and stderr into
 * {@link LogStream}s. A JVM shutdown hook kills every process still alive.
 *
 * <h2>Memory</h2>
 * The cgroup limit is always the action's whole memory. Heap sizing and the model kinds' memory flags
 * come from {@link ProxyJvmFlags} (shared with the Docker factory); the configured extra flags follow
 * them, so an operator's {@code -Xms}/{@code -Xmx} wins.
 *
 * <h2>CPU priority</h2>
 * A container created for the {@link CpuPriority#BACKGROUND} runs under {@code nice -n 19}, every thread
 * of it from the JVM's first; {@link Container#cpuPriority} moves all its threads ({@link NiceLevels}),
 * and {@link Container#cpuShare} (the scheduler's vertical scaling) sets the nice level whose CPU weight
 * is nearest to the share, never above 0, the platform's own level (2.0: nice -3, 0.5: nice 0).
 * Where the invoker could not raise a level again (no {@code CAP_SYS_NICE}), every container runs normally.
 *
 * <h2>Engine warm-up</h2>
 * At construction {@link EngineWarmUp} starts one throw-away proxy, has it initialise the PyTorch
 * engine ({@code POST /engine}, which extracts the natives into the DJL cache once per machine) and
 * stops it normally, so the proxies' class cache (when on) exists before the first cold start and holds
 * DJL's classes. Model containers created meanwhile wait for it (bounded), so two first uses do not
 * both extract ~432 MB; if they did anyway, DJL extracts each into its own temporary directory and
 * renames it atomically, the loser dropping its copy: slower, never corrupt.
 */
public final class ProcessContainerFactory implements ContainerFactory {
    private static final Logger log = LoggerFactory.getLogger(ProcessContainerFactory.class);
    private static final Pattern READY = Pattern.compile(Pattern.quote(RuntimeProxy.READY_PREFIX) + " port=(\\d+).*");
    private static final Pattern STARTUP_MS = Pattern.compile(".* startupMs=(\\d+).*");
    /** The environment variable (and system property) DJL reads its cache directory from. */
    static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";

    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** A background start's timeout, in multiples of the configured one (see {@link #startTimeout}). */
    static final int BACKGROUND_START_FACTOR = 6;

    /** The longest a model container waits for the engine warm-up before starting anyway. */
    static final Duration WARM_UP_WAIT = Duration.ofSeconds(60);

    /**
     * What the factory needs; {@link #settings} reads it from the invoker's properties.
     *
     * @param classCache    the proxies' class cache, whose flags (with RuntimeProxy's recommended ones) come first
     * @param jvmFlags      the proxy's own flags after those (native access)
     * @param extraJvmFlags the configured extra flags, put after the per-kind ones so they win
     * @param djlCacheDir  {@code DJL_CACHE_DIR} of every container
     * @param warmUpEngine whether the warm-up proxy also initialises the PyTorch engine
     * @param tensorRoot   the machine's tensor store ({@code HEARTH_TENSOR_ROOT} of every container: model
     *                     weights are mapped from it and shared); null: sharing off, weights are private
     * @param mergeRuntime start model containers so the kernel merges their common pages
     *                     ({@link RuntimeMerging})
     * @param env          put in every container's environment ({@link ContainerEnv})
     */
    public record Settings(
            Path javaExecutable,
            String classpath,
            ProxyClassCache classCache,
            List<String> jvmFlags,
            List<String> extraJvmFlags,
            Duration startTimeout,
            Path cgroupRoot,
            Path workRoot,
            Path djlCacheDir,
            boolean warmUpEngine,
            Path tensorRoot,
            boolean mergeRuntime,
            Map<String, String> env) {
        public Settings {
            jvmFlags = List.copyOf(jvmFlags);
            extraJvmFlags = List.copyOf(extraJvmFlags);
            env = Map.copyOf(env);
        }
    }

    /** What the proxy's READY line said. */
    private record Ready(int port, Long startupMs) {}

    private final Settings settings;
    private final Clock clock;
    private final MemoryCgroups cgroups;
    private final KeptAliveHttp http = new KeptAliveHttp(Duration.ofSeconds(5));
    private final Set<ProcessContainer> live = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::killAll, "hearth-container-reaper");
    private final CompletableFuture<EngineWarmUp.Result> warmUp;
    private final EngineWarmUp warmUpJob;
    /** {@code setarch -R} for model containers when merging the runtime, else empty. */
    private final List<String> modelLauncher;
    /** LD_PRELOAD for model containers, found once the natives are extracted (null: not found yet). */
    private volatile String modelPreload;
    /** Merged model containers' stack-guard shim and the machine's canary for it (null: none). */
    private final Path stackGuardShim;

    private final String stackGuard;
    /** Nice levels for background containers (empty: every container runs at the normal level). */
    private final Optional<NiceLevels> niceLevels;

    public ProcessContainerFactory(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.cgroups = new MemoryCgroups(settings.cgroupRoot());
        this.niceLevels = NiceLevels.find();
        modelLauncher = settings.mergeRuntime() ? RuntimeMerging.launcher() : List.of();
        stackGuardShim = settings.mergeRuntime()
                ? RuntimeMerging.stackGuardShim(settings.workRoot().resolve(".native"))
                        .orElse(null)
                : null;
        stackGuard = stackGuardShim == null ? null : RuntimeMerging.newStackGuard(new SecureRandom());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        if (settings.classCache().missing() || settings.warmUpEngine()) {
            ProxyClassCache cache = settings.classCache();
            List<String> training = command(
                    ProxyJvmFlags.MODEL_HEAP_MIN_MB * 8,
                    DJL_PYTORCH,
                    cache.missing() ? cache.trainingFlags() : cache.flags());
            warmUpJob = new EngineWarmUp(processBuilder(training), http, settings.warmUpEngine(), cache);
            warmUp = new CompletableFuture<>();
            Thread.ofVirtual().name("proxy-warm-up").start(() -> warmUpJob.run(warmUp::complete));
        } else {
            warmUpJob = null;
            warmUp = CompletableFuture.completedFuture(EngineWarmUp.Result.skipped());
        }
    }

    /** The start-up warm-up: the proxies' class cache and the PyTorch engine (completes when it is over, never fails). */
    public CompletableFuture<EngineWarmUp.Result> warmUp() {
        return warmUp;
    }

    /**
     * Settings from the invoker's properties: RuntimeProxy's recommended flags with the proxies' class cache
     * when {@code process.app-cds} is on and the proxy runs from jars (an AOT cache on JDK 25+, else a dynamic
     * AppCDS archive: see {@link ProxyClassCache} and bench/proxy-class-cache), then the extra ones.
     */
    public static Settings settings(InvokerProperties properties) {
        InvokerProperties.Process p = properties.process();
        ProxyClassCache cache = ProxyClassCache.of(
                p.appCds(), p.aotCache(), properties.dataDir(), p.javaExecutable(), p.proxyClasspath());
        // DJL loads libtorch through JNA: without this JDK 22+ prints "restricted method" warnings on
        // stderr during the first /init, which would land in the first activation's logs.
        List<String> flags = List.of(NATIVE_ACCESS);
        return new Settings(
                p.javaExecutable(),
                p.proxyClasspath(),
                cache,
                flags,
                p.extraJvmFlags(),
                p.startTimeout(),
                p.cgroupRoot(),
                properties.dataDir().resolve("containers"),
                properties.djlCacheDir(),
                p.warmUpEngine(),
                properties.tensors().sharing() ? properties.tensors().root() : null,
                properties.tensors().mergeRuntime(),
                ContainerEnv.of(properties.cpu()));
    }

    @Override
    public Container create(String id, int memoryMb, String kind) throws ContainerException {
        return create(id, memoryMb, kind, CpuPriority.NORMAL);
    }

    /** Starts the container under {@code nice -n 19} for the background, when {@link NiceLevels} are usable. */
    @Override
    public Container create(String id, int memoryMb, String kind, CpuPriority priority) throws ContainerException {
        if (!JAVA.equals(kind) && !DJL_PYTORCH.equals(kind)) {
            throw new ContainerException(
                    "the process factory runs the kinds " + JAVA + " and " + DJL_PYTORCH + ", not " + kind);
        }
        if (ContainerFactory.isModel(kind)) {
            awaitWarmUp(id);
        }
        long t0 = System.nanoTime();
        Duration startTimeout = startTimeout(priority);
        Path workDir = settings.workRoot().resolve(id);
        Process process;
        try {
            Files.createDirectories(workDir);
            boolean merge = settings.mergeRuntime() && ContainerFactory.isModel(kind);
            List<String> command =
                    new ArrayList<>(niceLevels.map(n -> n.launcher(priority)).orElse(List.of()));
            command.addAll(merge ? modelLauncher : List.of());
            List<String> java = command(memoryMb, kind);
            Path tmp = Files.createDirectories(workDir.resolve("tmp"));
            java.add(1, "-Djava.io.tmpdir=" + tmp); // before the operator's flags, which may override it
            command.addAll(java);
            ProcessBuilder builder = processBuilder(command).directory(workDir.toFile());
            if (merge) {
                mergingEnvironment(builder);
            }
            process = builder.start();
        } catch (IOException e) {
            throw new ContainerException("cannot start a container process: " + e.getMessage(), e);
        }
        Optional<Path> cgroup = cgroups.place(id, process.pid(), memoryMb);
        LogStream stdout = new LogStream("stdout", clock);
        LogStream stderr = new LogStream("stderr", clock);
        Deque<String> startupErr = new ArrayDeque<>();
        CompletableFuture<Ready> ready = new CompletableFuture<>();
        reader(id, process.getInputStream(), stdout, ready, true, startupErr);
        reader(id, process.getErrorStream(), stderr, ready, false, startupErr);
        process.onExit()
                .thenRun(() -> ready.completeExceptionally(
                        new IllegalStateException("the process exited with status " + process.exitValue())));
        Ready started;
        try {
            started = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            cgroup.ifPresent(cgroups::remove);
            ExtractedBundle.deleteTree(workDir);
            awaitEof(stdout, stderr); // the readers may still be taking in the last words of a dead JVM
            String why = e instanceof TimeoutException
                    ? "did not print its READY line within " + startTimeout.toMillis() + " ms"
                    : e.getCause() != null ? e.getCause().getMessage() : e.toString();
            String tail;
            synchronized (startupErr) {
                tail = String.join("\n", startupErr);
            }
            throw new ContainerException("container " + id + " " + why + (tail.isEmpty() ? "" : "; stderr:\n" + tail));
        }
        StartTimings timings = new StartTimings((System.nanoTime() - t0) / 1_000_000, started.startupMs());
        stderr.discard(); // JVM start-up warnings belong to no activation
        synchronized (startupErr) {
            startupErr.clear();
        }
        ProcessContainer container = new ProcessContainer(
                id,
                memoryMb,
                process,
                started.port(),
                timings,
                stdout,
                stderr,
                cgroup,
                cgroups,
                workDir,
                http,
                niceLevels,
                priority,
                clock,
                live::remove);
        live.add(container);
        if (!process.isAlive()) { // died between READY and now: do not hand out a corpse
            container.destroyNow();
            throw new ContainerException("container " + id + " exited right after start");
        }
        log.debug("started {}", container);
        return container;
    }

    /**
     * How long a start may take: a container started in the background gets only what activations leave
     * of the CPU, so on a busy machine its start takes longer, and nobody waits for it; it gets
     * {@link #BACKGROUND_START_FACTOR} times the configured timeout.
     */
    private Duration startTimeout(CpuPriority priority) {
        return niceLevels.isPresent() && priority == CpuPriority.BACKGROUND
                ? settings.startTimeout().multipliedBy(BACKGROUND_START_FACTOR)
                : settings.startTimeout();
    }

    private static void awaitEof(LogStream... streams) {
        try {
            for (LogStream s : streams) {
                s.awaitEof(Duration.ofMillis(500));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (bounded) for the engine warm-up, so a model container finds the natives extracted. */
    private void awaitWarmUp(String id) throws ContainerException {
        if (warmUp.isDone()) {
            return;
        }
        log.info("container {} waits for the engine warm-up", id);
        try {
            warmUp.get(WARM_UP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while container " + id + " waited for the engine warm-up", e);
        } catch (ExecutionException | TimeoutException e) {
            log.warn("container {} starts without waiting longer for the engine warm-up: {}", id, e.toString());
        }
    }

    private ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(settings.env());
        pb.environment()
                .put(DJL_CACHE_DIR, settings.djlCacheDir().toAbsolutePath().toString());
        if (settings.tensorRoot() != null) {
            pb.environment()
                    .put(RuntimeProxy.TENSOR_ROOT_ENV, settings.tensorRoot().toString());
        } else {
            pb.environment().remove(RuntimeProxy.TENSOR_ROOT_ENV);
        }
        return pb;
    }

    /**
     * Preloads libtorch and then the stack-guard shim (last: its constructor runs before libtorch's),
     * and asks the proxy to offer its pages to KSM ({@link RuntimeMerging}).
     */
    private void mergingEnvironment(ProcessBuilder builder) {
        String preload = modelPreload;
        if (preload == null) { // after the warm-up the natives are extracted; until then, look each time
            preload = RuntimeMerging.preload(settings.djlCacheDir()).orElse(null);
            modelPreload = preload;
        }
        List<String> preloads = new ArrayList<>();
        if (preload != null) {
            preloads.add(preload);
        }
        if (stackGuardShim != null) {
            preloads.add(stackGuardShim.toString());
            builder.environment().put(RuntimeProxy.STACK_GUARD_ENV, stackGuard);
        }
        if (!preloads.isEmpty()) {
            builder.environment().put("LD_PRELOAD", String.join(":", preloads));
        }
        builder.environment().put(RuntimeProxy.MERGE_PAGES_ENV, "1");
    }

    /** The proxy's java command line (a merged model container runs it under {@link RuntimeMerging#launcher()}). */
    List<String> command(int memoryMb, String kind) {
        return command(memoryMb, kind, settings.classCache().flags());
    }

    private List<String> command(int memoryMb, String kind, List<String> cacheFlags) {
        List<String> command = new ArrayList<>();
        command.add(settings.javaExecutable().toString());
        command.addAll(cacheFlags);
        command.addAll(settings.jvmFlags());
        command.addAll(ProxyJvmFlags.flags(memoryMb, kind));
        command.addAll(settings.extraJvmFlags());
        // --exit-with-parent: the stdin pipe stays open for the container's life; if this JVM dies
        // (even by SIGKILL) the pipe closes and the proxy exits rather than living on as an orphan.
        command.addAll(List.of(
                "-cp",
                settings.classpath(),
                RuntimeProxy.class.getName(),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--exit-with-parent"));
        return command;
    }

    /**
     * Reads one stream: on stdout, lines up to READY are start-up output (READY completes
     * {@code ready}); every later line goes to the stream's {@link LogStream}. On stderr, the last
     * lines before READY are kept to explain a failed start.
     */
    private void reader(
            String id,
            InputStream in,
            LogStream stream,
            CompletableFuture<Ready> ready,
            boolean isStdout,
            Deque<String> startupTail) {
        Thread.ofPlatform()
                .daemon()
                .name("container-" + id + "-" + stream.name())
                .start(() -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = reader.readLine()) != null) {
                            if (!ready.isDone() || ready.isCompletedExceptionally()) {
                                Matcher m = isStdout ? READY.matcher(line) : null;
                                if (m != null && m.matches()) {
                                    Matcher ms = STARTUP_MS.matcher(line);
                                    ready.complete(new Ready(
                                            Integer.parseInt(m.group(1)),
                                            ms.matches() ? Long.valueOf(ms.group(1)) : null));
                                } else {
                                    synchronized (startupTail) {
                                        startupTail.add(stream.name() + ": " + line);
                                        if (startupTail.size() > 20) {
                                            startupTail.poll();
                                        }
                                    }
                                }
                                continue;
                            }
                            stream.line(line);
                        }
                    } catch (IOException e) {
                        log.debug("container {} {} closed: {}", id, stream.name(), e.toString());
                    } finally {
                        stream.eof();
                    }
                });
    }

    /** Containers made by this factory and still alive. */
    public int liveCount() {
        return live.size();
    }

    @Override
    public void close() {
        if (warmUpJob != null) {
            warmUpJob.stop();
        }
        List<ProcessContainer> all = List.copyOf(live);
        all.parallelStream().forEach(ProcessContainer::destroy);
        http.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    /**
     * The JVM is exiting: SIGTERM to every live container at once, up to 2 s for them to go (a
     * normal exit lets the proxy write a dynamic AppCDS archive), then SIGKILL to the rest. It races the
     * pool's own graceful shutdown, so it must not be harsher than that.
     */
    private void killAll() {
        live.forEach(ProcessContainer::terminate);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (live.stream().anyMatch(ProcessContainer::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        live.forEach(ProcessContainer::kill);
    }
}
