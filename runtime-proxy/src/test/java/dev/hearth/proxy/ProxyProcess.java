package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hearth.testsupport.ActionJars;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A runtime proxy running as a child JVM (java from {@code java.home}, classpath = the proxy's classes
 * and the Gson jar), with its stdout and stderr collected line by line and a small HTTP client.
 */
final class ProxyProcess implements AutoCloseable {

    static final Pattern READY = Pattern.compile("HEARTH_PROXY_READY port=(\\d+) startupMs=(\\d+)");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    final Process process;
    final String readyLine;
    final int port;
    final long startupMs;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    /** The last {@code /run} answer's {@code X-Hearth-Logs} header; null before a run or when it had none. */
    private volatile String lastRunLogs;

    /** The temporary directory the test gave the proxy (deleted by {@link #close}); null: the flags chose one. */
    private Path ownTmp;

    private ProxyProcess(Process process) throws InterruptedException {
        this.process = process;
        pump(process.getInputStream(), stdout, "stdout");
        pump(process.getErrorStream(), stderr, "stderr");
        String first = stdout.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(first)
                .as("first stdout line of the proxy (stderr: %s)", stderr)
                .isNotNull();
        Matcher m = READY.matcher(first);
        assertThat(m.matches()).as("READY line, got: %s", first).isTrue();
        this.readyLine = first;
        this.port = Integer.parseInt(m.group(1));
        this.startupMs = Long.parseLong(m.group(2));
    }

    static ProxyProcess start(String... jvmFlags) {
        return start(List.of(jvmFlags));
    }

    static ProxyProcess start(List<String> jvmFlags) {
        return start(jvmFlags, proxyClasses());
    }

    /** Starts a proxy whose own code is {@code proxyCode} (its classes directory or a jar of them). */
    static ProxyProcess start(List<String> jvmFlags, Path proxyCode) {
        return spawn(command(jvmFlags, proxyCode));
    }

    /**
     * Starts a proxy with its whole runtime class path (hearth-model, DJL, the PyTorch natives), as a
     * container that may run {@code djl:pytorch} actions gets it.
     */
    static ProxyProcess startWithModels(List<String> jvmFlags) {
        return startWithModels(jvmFlags, java.util.Map.of());
    }

    /** {@link #startWithModels(List)} with extra environment variables (e.g. {@code HEARTH_TENSOR_ROOT}). */
    static ProxyProcess startWithModels(List<String> jvmFlags, java.util.Map<String, String> env) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(proxyClasses() + File.pathSeparator + fullClasspath());
        command.add(RuntimeProxy.class.getName());
        return spawn(command, env);
    }

    /** The proxy's runtime dependencies as written by the build (target/proxy-runtime-classpath.txt). */
    static String fullClasspath() {
        Path file = proxyClasses().getParent().resolve("proxy-runtime-classpath.txt");
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("run the build first: " + file, e);
        }
    }

    private static ProxyProcess spawn(List<String> command) {
        return spawn(command, java.util.Map.of());
    }

    /**
     * Starts a proxy; unless its flags name a {@code java.io.tmpdir}, it gets one of its own, removed on
     * {@link #close}, so that bundles extracted by a proxy a test kills mid-load do not pile up in /tmp.
     */
    private static ProxyProcess spawn(List<String> command, java.util.Map<String, String> env) {
        Path tmp = null;
        try {
            List<String> line = new ArrayList<>(command);
            if (line.stream().noneMatch(a -> a.startsWith("-Djava.io.tmpdir="))) {
                tmp = Files.createTempDirectory("hearth-proxy-test-");
                line.add(1, "-Djava.io.tmpdir=" + tmp);
            }
            ProcessBuilder builder = new ProcessBuilder(line);
            builder.environment().remove(RuntimeProxy.TENSOR_ROOT_ENV);
            builder.environment().putAll(env);
            ProxyProcess proxy = new ProxyProcess(builder.start());
            proxy.ownTmp = tmp;
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The command line that starts a proxy with the given JVM flags. */
    static List<String> command(List<String> jvmFlags, Path proxyCode) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(proxyCode + File.pathSeparator + ActionJars.gsonJar());
        command.add(RuntimeProxy.class.getName());
        return command;
    }

    /**
     * A jar of the proxy's classes in {@code dir} (AppCDS needs jars on the class path: it refuses
     * non-empty directories), or the proxy's jar itself when the tests run against one.
     */
    static Path proxyJar(Path dir) throws IOException {
        Path classes = proxyClasses();
        if (!Files.isDirectory(classes)) {
            return classes;
        }
        Path jar = dir.resolve("hearth-runtime-proxy.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    static Path proxyClasses() {
        try {
            return Path.of(RuntimeProxy.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pump(InputStream in, BlockingQueue<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // the process is gone
                    }
                },
                "proxy-" + name);
        t.setDaemon(true);
        t.start();
    }

    record Response(int status, JsonObject body, java.net.http.HttpHeaders headers) {}

    Response post(String path, String body) {
        Response r = send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
        if (path.equals("/run")) {
            lastRunLogs = r.headers().firstValue(ActivationLogs.HEADER).orElse(null);
        }
        return r;
    }

    Response post(String path, JsonObject body) {
        return post(path, body.toString());
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** {@code /init} with a base64 jar. */
    Response init(Path jar, String main) {
        JsonObject value = new JsonObject();
        value.addProperty("name", "test");
        value.addProperty("main", main);
        value.addProperty("binary", true);
        value.addProperty("code", ActionJars.base64(jar));
        return init(value);
    }

    Response init(JsonObject value) {
        JsonObject body = new JsonObject();
        body.add("value", value);
        return post("/init", body);
    }

    /** {@code /run} with the given parameters and no context. */
    Response run(JsonObject params) {
        JsonObject body = new JsonObject();
        body.add("value", params);
        return post("/run", body);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), JsonParser.parseString(r.body()).getAsJsonObject(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The last {@code /run} answer's stdout lines: up to (not including) the sentinel when the answer names
     * stdout in its {@value ActivationLogs#HEADER} header or has none (fails if none comes in time), else what
     * arrives within 200 ms (a stream without a sentinel should have nothing: output that bypassed the proxy's
     * streams shows here).
     */
    List<String> stdoutUntilSentinel() {
        return untilSentinel(stdout, "stdout");
    }

    /** The last {@code /run} answer's stderr lines, as {@link #stdoutUntilSentinel()}. */
    List<String> stderrUntilSentinel() {
        return untilSentinel(stderr, "stderr");
    }

    /** Whether the last {@code /run} answer says a sentinel follows on {@code stream}. */
    private boolean sentinelFollows(String stream) {
        String named = lastRunLogs;
        return named == null || List.of(named.split(",")).contains(stream);
    }

    /** Lines that arrive on stdout within {@code wait}, without waiting for a sentinel. */
    List<String> drainStdout(Duration wait) throws InterruptedException {
        Thread.sleep(wait.toMillis());
        List<String> lines = new ArrayList<>();
        stdout.drainTo(lines);
        return lines;
    }

    private List<String> untilSentinel(BlockingQueue<String> queue, String name) {
        if (!sentinelFollows(name)) {
            List<String> lines = new ArrayList<>();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            queue.drainTo(lines);
            return lines;
        }
        List<String> lines = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            while (true) {
                String line = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(line)
                        .as("%s sentinel; lines so far: %s", name, lines)
                        .isNotNull();
                if (line.equals(RuntimeProxy.SENTINEL)) {
                    return lines;
                }
                lines.add(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        if (ownTmp != null && !process.isAlive()) {
            try (Stream<Path> all = Files.walk(ownTmp)) {
                all.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // left for the machine's /tmp cleaning
            }
        }
    }
}
