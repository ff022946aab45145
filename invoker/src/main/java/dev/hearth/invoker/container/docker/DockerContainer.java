package dev.hearth.invoker.container.docker;

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
import dev.hearth.invoker.container.process.ActivationLogFormat;
import dev.hearth.invoker.container.process.LogStream;
import dev.hearth.invoker.tensors.BundlePublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime proxy in a Docker container (see {@link DockerContainerFactory}). The proxy speaks the
 * same protocol as in a process container; what differs is the address (the container's IP on its
 * network), pause/resume (the engine's freezer), and how a death is explained: a container the kernel
 * killed at its memory limit ({@code OOMKilled}) gives {@link RunResult.Exited#MEMORY_EXHAUSTED}.
 */
final class DockerContainer implements Container {
    private static final Logger log = LoggerFactory.getLogger(DockerContainer.class);
    /** Docker's (and the kernel's) smallest CPU weight. */
    static final int MIN_CPU_SHARES = 2;
    /** How long to wait for the sentinels after {@code /run} answered. */
    static final Duration SENTINEL_WAIT = Duration.ofSeconds(2);

    private final String id;
    private final String dockerId;
    private final int memoryMb;
    private final String host;
    private final int port;
    private final StartTimings startTimings;
    private final LogStream stdout;
    private final LogStream stderr;
    private final AutoCloseable attachment;
    private final DockerApi api;
    private final ProxyCalls.Post proxy;
    private final Clock clock;
    private final Consumer<DockerContainer> onDestroyed;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private boolean paused; // guarded by this
    private double cpuShare = 1.0; // guarded by this
    private boolean background; // guarded by this
    private final long pid;
    private final BundlePublisher publisher; // null: a Java container, or sharing off

    DockerContainer(
            String id,
            String dockerId,
            int memoryMb,
            String host,
            int port,
            StartTimings startTimings,
            LogStream stdout,
            LogStream stderr,
            AutoCloseable attachment,
            DockerApi api,
            KeptAliveHttp http,
            Clock clock,
            Consumer<DockerContainer> onDestroyed,
            long pid,
            BundlePublisher publisher) {
        this.id = id;
        this.dockerId = dockerId;
        this.memoryMb = memoryMb;
        this.host = host;
        this.port = port;
        this.startTimings = startTimings;
        this.stdout = stdout;
        this.stderr = stderr;
        this.attachment = attachment;
        this.api = api;
        this.proxy = ProxyCalls.to(http, host, port);
        this.clock = clock;
        this.onDestroyed = onDestroyed;
        this.pid = pid;
        this.publisher = publisher;
    }

    /** The host pid of the proxy's JVM (the container's first process), when the engine said. */
    @Override
    public OptionalLong pid() {
        return pid > 0 && isAlive() ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    /**
     * Publishes the bundle's tensors to the store before the proxy loads it (the container can only read
     * the store); never fails the load: what is not published is loaded privately by the proxy.
     */
    private void publishTensors(Path codePath, String digest) {
        if (publisher == null || digest == null) {
            return;
        }
        long t0 = System.nanoTime();
        BundlePublisher.Result r = publisher.publish(codePath, digest);
        log.debug(
                "container {}: tensors of {} {} in {} ms{}",
                id,
                digest,
                r.outcome(),
                (System.nanoTime() - t0) / 1_000_000,
                r.reason() == null ? "" : " (" + r.reason() + ")");
    }

    @Override
    public String id() {
        return id;
    }

    /** The engine's id of this container. */
    String dockerId() {
        return dockerId;
    }

    @Override
    public int memoryMb() {
        return memoryMb;
    }

    @Override
    public StartTimings startTimings() {
        return startTimings;
    }

    /** Alive until destroyed or until its output ended (the process in it exited). */
    @Override
    public boolean isAlive() {
        return !destroyed.get() && !stdout.atEof();
    }

    synchronized boolean isPaused() {
        return paused;
    }

    @Override
    public synchronized void pause() {
        if (paused || !isAlive()) {
            return;
        }
        api.pause(dockerId);
        paused = true;
    }

    /** The scheduler's share; a background container takes it when it comes back to the normal priority. */
    @Override
    public synchronized void cpuShare(double share) {
        cpuShare = share;
        if (isAlive() && !background) {
            api.updateCpuShares(dockerId, DockerContainerFactory.cpuShares(memoryMb, share));
        }
    }

    /** Background: Docker's least CPU weight (2 shares); normal: the scheduler's share of the default. */
    @Override
    public synchronized void cpuPriority(CpuPriority priority) throws ContainerException {
        background = priority == CpuPriority.BACKGROUND;
        try {
            api.updateCpuShares(
                    dockerId, background ? MIN_CPU_SHARES : DockerContainerFactory.cpuShares(memoryMb, cpuShare));
        } catch (RuntimeException e) {
            throw new ContainerException("cannot change the CPU shares of container " + id + ": " + e, e);
        }
    }

    @Override
    public synchronized void resume() {
        if (!paused) {
            return;
        }
        api.unpause(dockerId);
        paused = false;
    }

    @Override
    public InitTimings init(InitRequest request, Duration timeout) throws InitFailedException, ContainerException {
        readableByAll(request.codePath());
        publishTensors(request.codePath(), request.digest());
        HttpReply response;
        try {
            response = proxy.post("/init", Json.toBytes(request.toJson()), timeout);
        } catch (AnswerTimeoutException e) {
            destroy();
            throw new InitFailedException("The action exceeded its time limits of " + timeout.toMillis()
                    + " milliseconds during initialization.");
        } catch (IOException e) {
            boolean oom = exitedOutOfMemory();
            destroy();
            throw new InitFailedException(
                    oom
                            ? "The action exhausted its memory and was aborted."
                            : "The action did not initialize and exited unexpectedly.");
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
        readableByAll(codePath);
        publishTensors(codePath, digest);
        return ProxyCalls.preload(id, proxy, codePath, kind, digest, timeout);
    }

    @Override
    public boolean offload(String digest, Duration timeout) throws ContainerException {
        return ProxyCalls.offload(id, proxy, digest, timeout);
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
            List<String> logs = partialLogs(logLimitBytes, false);
            destroy();
            return new RunResult.TimedOut(start, end, logs);
        } catch (IOException e) {
            Instant end = clock.instant();
            boolean oom = exitedOutOfMemory();
            List<String> logs = partialLogs(logLimitBytes, true);
            destroy();
            return new RunResult.Exited(oom ? RunResult.Exited.MEMORY_EXHAUSTED : e.toString(), start, end, logs);
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

    /**
     * The proxy runs as the image's unprivileged user and reads the code through a read-only mount: a
     * file the invoker wrote owner-only (a temporary file moved into place) gets read permission for all.
     */
    /** The code (a jar, or an extracted bundle directory and everything in it) readable by the container's user. */
    private static void readableByAll(Path code) throws ContainerException {
        try {
            if (Files.isDirectory(code)) {
                try (java.util.stream.Stream<Path> all = Files.walk(code)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        readable(p, Files.isDirectory(p));
                    }
                }
            } else {
                readable(code, false);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new ContainerException("cannot make " + code + " readable for the container: " + e, e);
        }
    }

    private static void readable(Path p, boolean directory) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        Set<PosixFilePermission> wanted = EnumSet.copyOf(perms);
        wanted.add(PosixFilePermission.GROUP_READ);
        wanted.add(PosixFilePermission.OTHERS_READ);
        if (directory) {
            wanted.add(PosixFilePermission.GROUP_EXECUTE);
            wanted.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        if (!wanted.equals(perms)) {
            Files.setPosixFilePermissions(p, wanted);
        }
    }

    /**
     * After a broken connection: waits (up to 2 s) for the engine to see the container stopped, and
     * says whether the kernel killed it at its memory limit.
     */
    private boolean exitedOutOfMemory() {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        try {
            while (true) {
                DockerApi.Status s = api.inspect(dockerId);
                if (!s.running() || s.oomKilled() || System.nanoTime() > deadline) {
                    return s.oomKilled();
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            log.debug("cannot inspect container {}: {}", id, e.toString());
            return false;
        }
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

    /** Whatever was printed so far; when {@code dying}, after the streams ended (briefly). */
    private List<String> partialLogs(long limit, boolean dying) {
        try {
            if (dying) {
                stdout.awaitEof(Duration.ofSeconds(1));
                stderr.awaitEof(Duration.ofMillis(200));
            }
            return ActivationLogFormat.format(stdout.take(Duration.ZERO), stderr.take(Duration.ZERO), limit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** Removes the container (killing it, paused or not) and stops its output stream. Idempotent. */
    @Override
    public void destroy() {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
        proxy.forget();
        try {
            api.remove(dockerId);
        } catch (RuntimeException e) {
            log.warn("removing container {} ({}) failed: {}", id, dockerId, e.toString());
        } finally {
            try {
                attachment.close();
            } catch (Exception e) {
                log.debug("closing the output of {}: {}", id, e.toString());
            }
            stdout.eof();
            stderr.eof();
            onDestroyed.accept(this);
        }
    }

    @Override
    public String toString() {
        return "DockerContainer[" + id + ", " + dockerId.substring(0, Math.min(12, dockerId.length())) + ", " + host
                + ":" + port + ", " + memoryMb + " MB]";
    }
}
