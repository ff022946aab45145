package dev.hearth.invoker.container.process;

import dev.hearth.common.http.AnswerTimeoutException;
import dev.hearth.common.http.HttpReply;
import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.common.json.Json;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.InitFailedException;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.PreloadResult;
import dev.hearth.invoker.container.ProxyCalls;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.StartTimings;
import dev.hearth.model.bundle.ExtractedBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A runtime proxy in a child JVM (see {@link ProcessContainerFactory}). */
final class ProcessContainer implements Container {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ProcessContainer.class);
    /** How long to wait for the sentinels after {@code /run} answered. */
    static final Duration SENTINEL_WAIT = Duration.ofSeconds(2);
    /** The proxy's inference time of a model's {@code /run}, in (decimal) milliseconds. */
    private final String id;

    private final int memoryMb;
    private final Process process;
    private final int port;
    private final StartTimings startTimings;
    private final LogStream stdout;
    private final LogStream stderr;
    private final Optional<Path> cgroup;
    private final ProxyCalls.Post proxy;
    private final Clock clock;
    private final Consumer<ProcessContainer> onDestroyed;
    private final MemoryCgroups cgroups;
    private final Optional<NiceLevels> niceLevels;
    private final Path workDir;
    private CpuPriority priority; // guarded by this
    private double share = 1.0; // guarded by this
    private final AtomicBoolean destroyed = new AtomicBoolean();

    ProcessContainer(
            String id,
            int memoryMb,
            Process process,
            int port,
            StartTimings startTimings,
            LogStream stdout,
            LogStream stderr,
            Optional<Path> cgroup,
            MemoryCgroups cgroups,
            Path workDir,
            KeptAliveHttp http,
            Optional<NiceLevels> niceLevels,
            CpuPriority priority,
            Clock clock,
            Consumer<ProcessContainer> onDestroyed) {
        this.id = id;
        this.memoryMb = memoryMb;
        this.process = process;
        this.port = port;
        this.startTimings = startTimings;
        this.stdout = stdout;
        this.stderr = stderr;
        this.cgroup = cgroup;
        this.cgroups = cgroups;
        this.niceLevels = niceLevels;
        this.workDir = workDir;
        this.priority = priority;
        this.proxy = ProxyCalls.to(http, "127.0.0.1", port);
        this.clock = clock;
        this.onDestroyed = onDestroyed;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int memoryMb() {
        return memoryMb;
    }

    @Override
    public StartTimings startTimings() {
        return startTimings;
    }

    @Override
    public java.util.OptionalLong pid() {
        return java.util.OptionalLong.of(process.pid());
    }

    /** The proxy's port on 127.0.0.1. */
    int port() {
        return port;
    }

    Optional<Path> cgroup() {
        return cgroup;
    }

    @Override
    public boolean isAlive() {
        return !destroyed.get() && process.isAlive();
    }

    @Override
    public InitTimings init(InitRequest request, Duration timeout) throws InitFailedException, ContainerException {
        HttpReply response;
        try {
            response = proxy.post("/init", Json.toBytes(request.toJson()), timeout);
        } catch (AnswerTimeoutException e) {
            destroyNow();
            throw new InitFailedException("The action exceeded its time limits of " + timeout.toMillis()
                    + " milliseconds during initialization.");
        } catch (IOException e) {
            awaitExit();
            destroyNow();
            throw new InitFailedException("The action did not initialize and exited unexpectedly.");
        }
        if (response.status() != 200) {
            throw new InitFailedException(ProxyCalls.errorMessage(response.body(), "The action failed to initialize"));
        }
        return InitTimings.of(ProxyCalls.body(response.body()));
    }

    @Override
    public void prewarm(String kind) throws ContainerException {
        ProxyCalls.prewarm(id, proxy, kind);
    }

    @Override
    public PreloadResult preload(Path codePath, String kind, String digest, Duration timeout)
            throws ContainerException {
        return ProxyCalls.preload(id, proxy, codePath, kind, digest, timeout);
    }

    @Override
    public boolean offload(String digest, Duration timeout) throws ContainerException {
        return ProxyCalls.offload(id, proxy, digest, timeout);
    }

    /** Renices every thread of the process (a no-op where {@link NiceLevels} are not usable). */
    @Override
    public synchronized void cpuPriority(CpuPriority priority) throws ContainerException {
        this.priority = priority;
        if (niceLevels.isPresent()) {
            niceLevels.get().set(process.pid(), NiceLevels.level(priority, share));
        }
    }

    /**
     * The pool's share (the scheduler's times the rare-first weight), as the nice level whose weight is
     * nearest ({@link NiceLevels#level}); a
     * container in the background takes it when it comes back. Failures are logged: the container keeps
     * serving at the level it had.
     */
    @Override
    public synchronized void cpuShare(double share) {
        this.share = share;
        if (niceLevels.isPresent() && priority == CpuPriority.NORMAL && isAlive()) {
            try {
                niceLevels.get().set(process.pid(), NiceLevels.level(priority, share));
            } catch (ContainerException e) {
                log.warn("cannot give container {} the CPU share {}: {}", id, share, e.getMessage());
            }
        }
    }

    @Override
    public RunResult run(RunRequest request, Duration timeout, long logLimitBytes) {
        stdout.cap(logLimitBytes);
        stderr.cap(logLimitBytes);
        Instant start = clock.instant();
        HttpReply response;
        try {
            response = proxy.post("/run", Json.toBytes(request.toJson()), timeout);
        } catch (AnswerTimeoutException e) {
            Instant end = clock.instant();
            destroyNow();
            return new RunResult.TimedOut(start, end, partialLogs(logLimitBytes));
        } catch (IOException e) {
            Instant end = clock.instant();
            awaitExit();
            destroyNow();
            return new RunResult.Exited(e.toString(), start, end, partialLogs(logLimitBytes));
        }
        Instant end = clock.instant();
        List<String> logs = collectLogs(response, logLimitBytes);
        return new RunResult.Responded(
                response.status(),
                ProxyCalls.body(response.body()),
                start,
                end,
                logs,
                ProxyCalls.inferenceMs(response));
    }

    /** The activation's lines, cut at the sentinels that follow {@code response} (see {@link ProxyCalls#sentinels}). */
    private List<String> collectLogs(HttpReply response, long limit) {
        try {
            ProxyCalls.Sentinels sentinels = ProxyCalls.sentinels(response);
            long deadline = System.nanoTime() + SENTINEL_WAIT.toNanos();
            LogStream.Segment out = sentinels.stdout() ? stdout.take(SENTINEL_WAIT) : LogStream.Segment.NONE;
            LogStream.Segment err = sentinels.stderr()
                    ? stderr.take(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
                    : LogStream.Segment.NONE;
            return ActivationLogFormat.format(out, err, limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** After a kill or crash: whatever was printed, once the streams have ended (briefly). */
    private List<String> partialLogs(long limit) {
        try {
            stdout.awaitEof(Duration.ofSeconds(1));
            stderr.awaitEof(Duration.ofMillis(200));
            return ActivationLogFormat.format(stdout.take(Duration.ZERO), stderr.take(Duration.ZERO), limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private void awaitExit() {
        try {
            process.waitFor(500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the process at once (a timed-out or broken container). */
    void destroyNow() {
        destroy(true);
    }

    @Override
    public void destroy() {
        destroy(false);
    }

    /** Graceful: SIGTERM, up to 1 s, then SIGKILL; forcible: SIGKILL. Then the cgroup and the work directory go. */
    private void destroy(boolean forcibly) {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        proxy.forget();
        try {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            cgroup.ifPresent(cgroups::remove);
            if (!process.isAlive()) { // one that outlived SIGKILL's wait may still write there: left alone
                ExtractedBundle.deleteTree(workDir);
            }
            onDestroyed.accept(this);
        }
    }

    /** The JVM-exit path, step one: ask the process to exit (it may write its AppCDS archive). */
    void terminate() {
        process.destroy();
    }

    /** Step two, for whatever did not exit in time. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "ProcessContainer[" + id + ", pid " + process.pid() + ", port " + port + ", " + memoryMb + " MB]";
    }
}
