package dev.hearth.invoker.container.process;

import dev.hearth.common.json.Json;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitFailedException;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.InitTimings;
import dev.hearth.invoker.container.PreloadResult;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.StartTimings;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/** A runtime proxy in a child JVM (see {@link ProcessContainerFactory}). */
final class ProcessContainer implements Container {
    /** How long to wait for the sentinels after {@code /run} answered. */
    static final Duration SENTINEL_WAIT = Duration.ofSeconds(2);
    /** The proxy's inference time of a model's {@code /run}, in (decimal) milliseconds. */
    static final String INFERENCE_HEADER = "X-Hearth-Inference-Ms";

    private final String id;
    private final int memoryMb;
    private final Process process;
    private final int port;
    private final StartTimings startTimings;
    private final LogStream stdout;
    private final LogStream stderr;
    private final Optional<Path> cgroup;
    private final ProxyClient http;
    private final Clock clock;
    private final Consumer<ProcessContainer> onDestroyed;
    private final MemoryCgroups cgroups;
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
            ProxyClient http,
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
        this.http = http;
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

    Optional<Path> cgroup() {
        return cgroup;
    }

    @Override
    public boolean isAlive() {
        return !destroyed.get() && process.isAlive();
    }

    @Override
    public InitTimings init(InitRequest request, Duration timeout) throws InitFailedException, ContainerException {
        HttpResponse<byte[]> response;
        try {
            response = http.post(port, "/init", Json.toBytes(request.toJson()), timeout);
        } catch (HttpTimeoutException e) {
            destroyNow();
            throw new InitFailedException("The action exceeded its time limits of " + timeout.toMillis()
                    + " milliseconds during initialization.");
        } catch (IOException e) {
            awaitExit();
            destroyNow();
            throw new InitFailedException("The action did not initialize and exited unexpectedly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted during /init of container " + id, e);
        }
        if (response.statusCode() != 200) {
            throw new InitFailedException(errorMessage(response.body(), "The action failed to initialize"));
        }
        return InitTimings.of(body(response.body()));
    }

    @Override
    public void prewarm(String kind) throws ContainerException {
        if (ContainerFactory.isModel(kind)) {
            call("/engine", "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofSeconds(60));
        }
    }

    @Override
    public PreloadResult preload(Path codePath, String kind, String digest, Duration timeout)
            throws ContainerException {
        tools.jackson.databind.node.ObjectNode root = Json.object();
        root.putObject("value")
                .put("kind", kind)
                .put("codePath", codePath.toAbsolutePath().toString())
                .put("digest", digest);
        return PreloadResult.of(call("/preload", Json.toBytes(root), timeout));
    }

    @Override
    public boolean offload(String digest, Duration timeout) throws ContainerException {
        tools.jackson.databind.node.ObjectNode root = Json.object();
        root.putObject("value").put("digest", digest);
        return call("/offload", Json.toBytes(root), timeout).path("offloaded").asBoolean(false);
    }

    /** A management call: 200 and its JSON body, or {@link ContainerException} with the proxy's error. */
    private JsonNode call(String path, byte[] body, Duration timeout) throws ContainerException {
        HttpResponse<byte[]> response;
        try {
            response = http.post(port, path, body, timeout);
        } catch (IOException e) {
            throw new ContainerException("container " + id + " failed " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted during " + path + " of container " + id, e);
        }
        if (response.statusCode() != 200) {
            throw new ContainerException(errorMessage(
                    response.body(), "container " + id + " refused " + path + " (" + response.statusCode() + ")"));
        }
        JsonNode node = body(response.body());
        return node == null ? Json.object() : node;
    }

    @Override
    public RunResult run(RunRequest request, Duration timeout, long logLimitBytes) {
        stdout.cap(logLimitBytes);
        stderr.cap(logLimitBytes);
        Instant start = clock.instant();
        HttpResponse<byte[]> response;
        try {
            response = http.post(port, "/run", Json.toBytes(request.toJson()), timeout);
        } catch (HttpTimeoutException e) {
            Instant end = clock.instant();
            destroyNow();
            return new RunResult.TimedOut(start, end, partialLogs(logLimitBytes));
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Instant end = clock.instant();
            awaitExit();
            destroyNow();
            return new RunResult.Exited(e.toString(), start, end, partialLogs(logLimitBytes));
        }
        Instant end = clock.instant();
        List<String> logs = collectLogs(logLimitBytes);
        return new RunResult.Responded(
                response.statusCode(), body(response.body()), start, end, logs, inferenceMs(response));
    }

    private List<String> collectLogs(long limit) {
        try {
            long deadline = System.nanoTime() + SENTINEL_WAIT.toNanos();
            LogStream.Segment out = stdout.take(SENTINEL_WAIT);
            LogStream.Segment err = stderr.take(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
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

    private static Double inferenceMs(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue(INFERENCE_HEADER);
        try {
            return header.map(h -> Double.valueOf(h.strip()))
                    .filter(d -> d >= 0 && Double.isFinite(d))
                    .orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static JsonNode body(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
            JsonNode node = Json.tree(text);
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (RuntimeException e) {
            // below
        }
        return Json.object().put("error", "The action did not produce a valid JSON response: " + text);
    }

    private static String errorMessage(byte[] bytes, String fallback) {
        JsonNode node = body(bytes);
        JsonNode error = node.get("error");
        return error != null && error.isString() ? error.asString() : fallback + ": " + node;
    }

    /** Kills the process at once (a timed-out or broken container). */
    void destroyNow() {
        destroy(true);
    }

    @Override
    public void destroy() {
        destroy(false);
    }

    /** Graceful: SIGTERM, up to 1 s, then SIGKILL; forcible: SIGKILL. Then the cgroup goes. */
    private void destroy(boolean forcibly) {
        if (!destroyed.compareAndSet(false, true)) {
            return;
        }
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
