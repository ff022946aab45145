package dev.hearth.invoker.container.process;

import dev.hearth.common.http.HttpReply;
import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.common.json.Json;
import dev.hearth.invoker.container.ProxyCalls;
import dev.hearth.proxy.RuntimeProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The invoker's start-up warm-up, on one throw-away runtime proxy: start it (with the containers'
 * flags, class path and {@code DJL_CACHE_DIR}), wait for READY, {@code POST /engine} so the PyTorch
 * natives are extracted into the DJL cache once per machine (~432 MB, ~2 s the first time, 0.5–0.8 s
 * once extracted) and DJL's classes are loaded, then stop it with SIGTERM: a normal exit, so the JVM
 * writes the proxies' class cache ({@link ProxyClassCache}, when it did not exist) with those classes in
 * it. The engine's result is handed on as soon as the engine is up: model containers wait for that, not
 * for the cache, whose assembly (an AOT cache: seconds, in a child JVM) goes on behind them. Never fails:
 * a problem is logged and the invoker goes on (the first model cold start then pays the extraction).
 *
 * <p>Caveat (dynamic AppCDS archive only): a {@code java} container started and stopped while the warm-up
 * runs (with no archive yet) also writes the archive at its exit, without DJL's classes; the last writer
 * wins. An AOT cache is written by the warm-up alone.
 */
public final class EngineWarmUp {
    private static final Logger log = LoggerFactory.getLogger(EngineWarmUp.class);
    private static final Pattern PORT = Pattern.compile(Pattern.quote(RuntimeProxy.READY_PREFIX) + " port=(\\d+).*");
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ENGINE_TIMEOUT = Duration.ofMinutes(2);
    /** How long the stopped proxy may take to exit: writing an AOT cache takes seconds on a busy machine. */
    static final Duration EXIT_TIMEOUT = Duration.ofMinutes(2);

    /**
     * How it went: {@code engine} and {@code version} as the proxy reported them (null when the engine
     * was not warmed), its {@code engineInitMs}, and the wall time of the {@code /engine} call.
     */
    public record Result(boolean engineReady, String engine, String version, long engineInitMs, long callMs) {
        static Result skipped() {
            return new Result(false, null, null, -1, -1);
        }
    }

    private final ProcessBuilder proxy;
    private final KeptAliveHttp http;
    private final boolean engine;
    private final ProxyClassCache cache;
    private volatile Process process;
    private volatile boolean stopped;

    /** {@code proxy} runs with {@code cache}'s training flags when the cache is missing. */
    EngineWarmUp(ProcessBuilder proxy, KeptAliveHttp http, boolean engine, ProxyClassCache cache) {
        this.proxy = proxy.redirectError(ProcessBuilder.Redirect.DISCARD);
        this.http = http;
        this.engine = engine;
        this.cache = cache;
    }

    /** Runs the warm-up; {@code engineDone} gets the result once the engine is up (or the warm-up gave up). */
    void run(Consumer<Result> engineDone) {
        Process p = null;
        Result result = Result.skipped();
        boolean writesCache = cache.missing();
        try {
            p = proxy.start();
            process = p;
            if (stopped) {
                throw new IOException("the factory closed before the warm-up ran");
            }
            Process started = p;
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int port = awaitReady(out, p);
            Thread.ofVirtual().start(() -> drain(out)); // the proxy must never block on a full pipe
            result = engine ? warmEngine(port) : Result.skipped();
            engineDone.accept(result);
            started.destroy(); // SIGTERM: a normal exit writes the class cache
            if (!started.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                started.destroyForcibly();
            }
            if (writesCache) {
                Optional<Path> written = cache.trained();
                if (written.isPresent()) {
                    log.info("wrote the runtime proxies' class cache {}", written.get());
                } else {
                    log.warn("the runtime proxy's warm-up did not write the class cache; proxies start without it");
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("the runtime proxy's warm-up failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            engineDone.accept(result); // when it failed before the engine; a second hand-over changes nothing
        }
    }

    /** The factory is closing: kill the warm-up proxy, and what it started, if it still runs. */
    void stop() {
        stopped = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // the JVM assembling an AOT cache
            p.destroyForcibly();
        }
    }

    private Result warmEngine(int port) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        HttpReply r = ProxyCalls.to(http, "127.0.0.1", port)
                .post("/engine", "{}".getBytes(StandardCharsets.UTF_8), ENGINE_TIMEOUT);
        long callMs = (System.nanoTime() - t0) / 1_000_000;
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.status() != 200) {
            log.warn(
                    "the runtime proxy could not initialise the PyTorch engine at warm-up ({} {}); the first model "
                            + "cold start will",
                    r.status(),
                    text);
            return Result.skipped();
        }
        JsonNode body = Json.tree(text);
        String name = body.path("engine").asString(null);
        String version = body.path("version").asString(null);
        long initMs = body.path("engineInitMs").asLong(-1);
        log.info(
                "PyTorch engine warm-up: {} {} initialised in {} ms (call {} ms) in {}",
                name,
                version,
                initMs,
                callMs,
                proxy.environment().get(ProcessContainerFactory.DJL_CACHE_DIR));
        return new Result(true, name, version, initMs, callMs);
    }

    private static int awaitReady(BufferedReader out, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String line;
        while ((line = out.readLine()) != null) {
            Matcher m = PORT.matcher(line);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        p.waitFor(1, TimeUnit.SECONDS);
        throw new IOException("the warm-up proxy did not print its READY line"
                + (p.isAlive() ? "" : " (exit status " + p.exitValue() + ")"));
    }

    private static void drain(BufferedReader out) {
        try (out) {
            while (out.readLine() != null) {
                // the warm-up proxy's output belongs to no activation
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
