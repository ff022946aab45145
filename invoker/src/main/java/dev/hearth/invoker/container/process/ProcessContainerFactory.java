package dev.hearth.invoker.container.process;

import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.proxy.RuntimeProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
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
 * Containers as child JVMs: {@code java <proxy flags> <extra flags> -Xmx<70% of memory>m -cp
 * <proxy classpath> dev.hearth.proxy.RuntimeProxy --host 127.0.0.1 --port 0}, working directory
 * {@code <dataDir>/containers/<id>}. {@link #create} waits for the proxy's
 * {@code HEARTH_PROXY_READY port=<port>} line on stdout (or fails after the start timeout, or as
 * soon as the process exits) and puts the process in a cgroup v1 memory group when the machine
 * allows it. Two platform threads per process read stdout and stderr into {@link LogStream}s. A JVM
 * shutdown hook kills every process still alive.
 */
public final class ProcessContainerFactory implements ContainerFactory {
    private static final Logger log = LoggerFactory.getLogger(ProcessContainerFactory.class);
    private static final Pattern READY = Pattern.compile(Pattern.quote(RuntimeProxy.READY_PREFIX) + " port=(\\d+).*");
    /** Share of the action's memory given to the proxy's heap; the rest is metaspace, code, stacks. */
    static final int HEAP_PERCENT = 70;

    /** What the factory needs; {@link #from} reads it from the invoker's properties. */
    public record Settings(Path javaExecutable, String classpath, List<String> jvmFlags, Duration startTimeout,
            Path cgroupRoot, Path workRoot) {
        public Settings {
            jvmFlags = List.copyOf(jvmFlags);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final MemoryCgroups cgroups;
    private final ProxyClient http = new ProxyClient();
    private final Set<ProcessContainer> live = ConcurrentHashMap.newKeySet();
    private final Thread shutdownHook = new Thread(this::killAll, "hearth-container-reaper");

    public ProcessContainerFactory(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.cgroups = new MemoryCgroups(settings.cgroupRoot());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        AppCdsArchive.file(settings.jvmFlags()).filter(f -> !Files.exists(f))
                .ifPresent(f -> Thread.ofVirtual().name("proxy-cds").start(() -> writeArchive(f)));
    }

    /**
     * Starts one proxy and stops it normally as soon as it is ready, so the AppCDS archive exists
     * before the first cold start rather than after the first container exits.
     */
    private void writeArchive(Path archive) {
        try {
            Process p = new ProcessBuilder(command(128)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null && !line.startsWith(RuntimeProxy.READY_PREFIX)) {
                    // start-up output
                }
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            log.info("wrote the runtime proxy's AppCDS archive {}", archive);
        } catch (IOException e) {
            log.warn("could not write the runtime proxy's AppCDS archive: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Settings from the invoker's properties: RuntimeProxy's recommended flags (with an AppCDS
     * archive of the proxy's classes when {@code process.app-cds} is on and the proxy runs from jars:
     * ~16 % faster start-up, see bench/proxy-startup), then the extra ones.
     */
    public static Settings settings(InvokerProperties properties) {
        InvokerProperties.Process p = properties.process();
        List<String> flags = new ArrayList<>(p.appCds() && AppCdsArchive.usable(p.proxyClasspath())
                ? RuntimeProxy.jvmFlags(AppCdsArchive.path(properties.dataDir(), p.javaExecutable(),
                        p.proxyClasspath()))
                : RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        flags.addAll(p.extraJvmFlags());
        return new Settings(p.javaExecutable(), p.proxyClasspath(), flags, p.startTimeout(), p.cgroupRoot(),
                properties.dataDir().resolve("containers"));
    }

    @Override
    public Container create(String id, int memoryMb, String kind) throws ContainerException {
        if (!"java".equals(kind)) {
            throw new ContainerException("the process factory runs only the java kind, not " + kind);
        }
        Path workDir = settings.workRoot().resolve(id);
        Process process;
        try {
            Files.createDirectories(workDir);
            process = new ProcessBuilder(command(memoryMb)).directory(workDir.toFile()).start();
        } catch (IOException e) {
            throw new ContainerException("cannot start a container process: " + e.getMessage(), e);
        }
        Optional<Path> cgroup = cgroups.place(id, process.pid(), memoryMb);
        LogStream stdout = new LogStream("stdout", clock);
        LogStream stderr = new LogStream("stderr", clock);
        Deque<String> startupErr = new ArrayDeque<>();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        reader(id, process.getInputStream(), stdout, ready, true, startupErr);
        reader(id, process.getErrorStream(), stderr, ready, false, startupErr);
        process.onExit().thenRun(() -> ready.completeExceptionally(
                new IllegalStateException("the process exited with status " + process.exitValue())));
        int port;
        try {
            port = ready.get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
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
            String why = e instanceof TimeoutException
                    ? "did not print its READY line within " + settings.startTimeout().toMillis() + " ms"
                    : e.getCause() != null ? e.getCause().getMessage() : e.toString();
            String tail;
            synchronized (startupErr) {
                tail = String.join("\n", startupErr);
            }
            throw new ContainerException("container " + id + " " + why + (tail.isEmpty() ? "" : "; stderr:\n" + tail));
        }
        stderr.discard(); // JVM start-up warnings belong to no activation
        synchronized (startupErr) {
            startupErr.clear();
        }
        ProcessContainer container = new ProcessContainer(id, memoryMb, process, port, stdout, stderr, cgroup,
                cgroups, http, clock, live::remove);
        live.add(container);
        if (!process.isAlive()) { // died between READY and now: do not hand out a corpse
            container.destroyNow();
            throw new ContainerException("container " + id + " exited right after start");
        }
        log.debug("started {}", container);
        return container;
    }

    List<String> command(int memoryMb) {
        List<String> command = new ArrayList<>();
        command.add(settings.javaExecutable().toString());
        command.addAll(settings.jvmFlags());
        command.add("-Xmx" + Math.max(16, memoryMb * HEAP_PERCENT / 100) + "m");
        // --exit-with-parent: the stdin pipe stays open for the container's life; if this JVM dies
        // (even by SIGKILL) the pipe closes and the proxy exits rather than living on as an orphan.
        command.addAll(List.of("-cp", settings.classpath(), RuntimeProxy.class.getName(), "--host", "127.0.0.1",
                "--port", "0", "--exit-with-parent"));
        return command;
    }

    /**
     * Reads one stream: on stdout, lines up to READY are start-up output (READY completes
     * {@code ready}); every later line goes to the stream's {@link LogStream}. On stderr, the last
     * lines before READY are kept to explain a failed start.
     */
    private void reader(String id, InputStream in, LogStream stream, CompletableFuture<Integer> ready,
            boolean isStdout, Deque<String> startupTail) {
        Thread.ofPlatform().daemon().name("container-" + id + "-" + stream.name()).start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (!ready.isDone() || ready.isCompletedExceptionally()) {
                        Matcher m = isStdout ? READY.matcher(line) : null;
                        if (m != null && m.matches()) {
                            ready.complete(Integer.parseInt(m.group(1)));
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
        List<ProcessContainer> all = List.copyOf(live);
        all.parallelStream().forEach(ProcessContainer::destroy);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
    }

    /**
     * The JVM is exiting: SIGTERM to every live container at once, up to 2 s for them to go (a
     * normal exit lets the proxy write its AppCDS archive), then SIGKILL to the rest. It races the
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
