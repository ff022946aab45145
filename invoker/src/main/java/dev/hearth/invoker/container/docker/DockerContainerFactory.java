package dev.hearth.invoker.container.docker;

import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerEnv;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.ProxyJvmFlags;
import dev.hearth.invoker.container.StartTimings;
import dev.hearth.invoker.container.process.LogStream;
import dev.hearth.invoker.tensors.BundlePublisher;
import dev.hearth.model.tensors.TensorStore;
import dev.hearth.proxy.RuntimeProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Containers as Docker containers of the runtime-proxy image ({@code deploy/docker/build-images}).
 *
 * <h2>One container</h2>
 * {@code java @/opt/hearth/proxy/jvm.args <ProxyJvmFlags.flags: [model flags] -Xmx<heap>m> dev.hearth.proxy.RuntimeProxy
 * --host 0.0.0.0 --port 8080} (the image's class path, flags and AppCDS archive; heap as for process
 * containers: {@link ProxyJvmFlags#heapMb}), with
 * <ul>
 *   <li>memory = the action's memory, no swap; CPU shares proportional to memory (1024 per 256 MB,
 *       OpenWhisk's rule), optionally a hard cap of {@code cpusPerGb} CPUs per GB;</li>
 *   <li>hardening: {@code no-new-privileges}, every capability dropped, the image's unprivileged user,
 *       a read-only root file system with a tmpfs {@code /tmp}, a pids limit;</li>
 *   <li>the artifact cache bind-mounted read-only at the same path (the proxy reads the code from the
 *       path {@code /init} names);</li>
 *   <li>for model kinds with sharing on: the machine's tensor store bind-mounted read-only at the same
 *       path and named by {@code HEARTH_TENSOR_ROOT} (see below);</li>
 *   <li>the configured network ({@code bridge} by default: the invoker reaches the proxy at the
 *       container's address; {@code host}: the proxy binds a free loopback port and says which);</li>
 *   <li>labels {@value #LABEL_INVOKER}{@code =<invoker name>} and {@value #LABEL_CONTAINER}{@code =<pool id>}.</li>
 * </ul>
 * {@link #create} attaches to the container's output before starting it and waits for the proxy's
 * READY line; stdout and stderr feed the same sentinel-cut {@link LogStream}s as process containers.
 *
 * <h2>Shared weights</h2>
 * The invoker owns the store; a container may only read it (the mount is read-only, the container's user
 * is unprivileged and has no capabilities), so no function can write, replace or delete a tensor other
 * containers map, nor forge a verification stamp. Before a model container's {@code /init} or
 * {@code /preload} the factory's {@link BundlePublisher} publishes the bundle's tensors and index from
 * the invoker's extracted bundle (a {@code stat} per tensor once they are there); the proxy then takes
 * its fast path and maps every tensor copy-on-write ({@code mmap(MAP_PRIVATE)} of a read-only
 * descriptor: an in-place op copies the page privately). A tensor that is still missing (the bundle
 * could not be published: a full tmpfs, a TorchScript or factory-architecture bundle) is loaded
 * privately with the proxy's warning; the activation does not fail. Java actions get neither the mount
 * nor the variable. The store's pages are host tmpfs pages the invoker wrote: the kernel charges them
 * to the invoker's memory cgroup, not to a container's limit.
 *
 * <h2>Memory figures</h2>
 * {@link Container#pid()} is the host pid of the container's process (the engine's {@code State.Pid};
 * the proxy's JVM is the container's first process), so {@code /proc/<pid>/smaps_rollup} gives the
 * same PSS, private and shared-memory figures as for a process container. This needs the invoker in the
 * host's pid namespace (an invoker in a container of its own sees no such pid and reports no memory).
 *
 * <h2>Orphans</h2>
 * At construction the factory removes every container labelled with its invoker name: an invoker that
 * died without cleaning up (SIGKILL, a crashed host) leaves its containers to the next one of the same
 * name. {@link #close} and a JVM shutdown hook remove the live ones, and those still starting: every
 * container the engine made is in {@code starting} or {@code live} until it is removed, it moves between
 * them under the read side of {@code gate}, and {@link #close} marks the factory closed under the write
 * side. So a stem cell half started when the invoker stops is removed with the rest, not left on the
 * functions' network (where it kept {@code docker-compose down} from removing that network).
 */
public final class DockerContainerFactory implements ContainerFactory {
    private static final Logger log = LoggerFactory.getLogger(DockerContainerFactory.class);
    public static final String LABEL_INVOKER = "dev.hearth.invoker";
    public static final String LABEL_CONTAINER = "dev.hearth.container";
    /** The proxy's port inside a container on its own network address. */
    static final int PROXY_PORT = 8080;
    /** The image's JVM argument file: class path, the proxy's flags, its class archive. */
    static final String JVM_ARGS = "@/opt/hearth/proxy/jvm.args";

    /**
     * @param dockerHost     {@code unix:///var/run/docker.sock} or {@code tcp://host:port}
     * @param image          the runtime-proxy image (must exist locally: nothing is pulled)
     * @param network        {@code bridge}, {@code host} or a user network the invoker can reach
     * @param invokerName    the value of {@value #LABEL_INVOKER} (one per invoker on an engine)
     * @param cpusPerGb      hard CPU cap per GB of memory, 0 for none (shares only)
     * @param artifactDir    the invoker's artifact cache, mounted read-only
     * @param tensorRoot     the machine's tensor store when weights are shared (mounted read-only into model
     *                       containers, published to by this factory); null: sharing off
     * @param env            extra environment of every container
     */
    public record Settings(
            String dockerHost,
            String image,
            String network,
            String invokerName,
            Duration startTimeout,
            int pidsLimit,
            int tmpfsMb,
            boolean readOnlyRootFs,
            double cpusPerGb,
            Path artifactDir,
            Path tensorRoot,
            Map<String, String> env) {
        public Settings {
            env = Map.copyOf(env);
        }
    }

    private final Settings settings;
    private final DockerApi api;
    private final Clock clock;
    private final KeptAliveHttp http = new KeptAliveHttp(Duration.ofSeconds(5));
    private final Set<DockerContainer> live = ConcurrentHashMap.newKeySet();
    /** Engine ids of containers created and not yet ready. */
    private final Set<String> starting = ConcurrentHashMap.newKeySet();
    /** Read: a container is created or changes set. Write: the factory closes. */
    private final ReadWriteLock gate = new ReentrantReadWriteLock();

    private boolean closed; // guarded by gate
    private final Thread shutdownHook = new Thread(this::closeAndRemoveAll, "hearth-docker-reaper");
    private final BundlePublisher publisher; // null: sharing off

    public DockerContainerFactory(Settings settings, Clock clock) {
        this(settings, new DockerJavaApi(settings.dockerHost()), clock);
    }

    DockerContainerFactory(Settings settings, DockerApi api, Clock clock) {
        this.settings = settings;
        this.api = api;
        this.clock = clock;
        api.ping();
        if (!api.hasImage(settings.image())) {
            api.close();
            throw new IllegalStateException("the Docker engine at " + settings.dockerHost() + " has no image "
                    + settings.image() + " (build it with deploy/docker/build-images; nothing is pulled)");
        }
        this.publisher =
                settings.tensorRoot() == null ? null : new BundlePublisher(new TensorStore(settings.tensorRoot()));
        try {
            Files.createDirectories(settings.artifactDir()); // it must exist to be mounted
            if (settings.tensorRoot() != null) {
                Files.createDirectories(settings.tensorRoot()); // likewise
            }
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot create " + settings.artifactDir() + " or the tensor store", e);
        }
        removeOrphans();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Settings from the invoker's properties ({@code hearth.invoker.docker.*}). */
    public static Settings settings(InvokerProperties properties) {
        InvokerProperties.Docker d = properties.docker();
        return new Settings(
                d.host(),
                d.image(),
                d.network(),
                d.nameFor(properties.instance()),
                d.startTimeout(),
                d.pidsLimit(),
                d.tmpfsMb(),
                d.readOnlyRootFs(),
                d.cpusPerGb(),
                properties.dataDir().resolve("artifacts"),
                properties.tensors().sharing() ? properties.tensors().root() : null,
                ContainerEnv.of(properties.cpu()));
    }

    /**
     * Why containers cannot be Docker containers here (no engine at {@code dockerHost}, or no
     * {@code image}), or empty when they can. For {@code hearth.invoker.factory=auto}.
     */
    public static Optional<String> unavailable(String dockerHost, String image) {
        try (DockerApi api = new DockerJavaApi(dockerHost)) {
            api.ping();
            return api.hasImage(image)
                    ? Optional.empty()
                    : Optional.of("the engine at " + dockerHost + " has no image " + image);
        } catch (RuntimeException e) {
            return Optional.of("no Docker engine answers at " + dockerHost + " (" + e + ")");
        }
    }

    /** Removes the containers a previous invoker of the same name left behind. */
    private void removeOrphans() {
        List<String> orphans = api.listByLabel(LABEL_INVOKER, settings.invokerName());
        if (orphans.isEmpty()) {
            return;
        }
        log.info("removing {} containers left by an earlier {}", orphans.size(), settings.invokerName());
        orphans.parallelStream().forEach(id -> {
            try {
                api.remove(id);
            } catch (RuntimeException e) {
                log.warn("cannot remove orphan container {}: {}", id, e.toString());
            }
        });
    }

    @Override
    public Container create(String id, int memoryMb, String kind) throws ContainerException {
        if (!JAVA.equals(kind) && !DJL_PYTORCH.equals(kind)) {
            throw new ContainerException(
                    "the Docker factory runs the kinds " + JAVA + " and " + DJL_PYTORCH + ", not " + kind);
        }
        long t0 = System.nanoTime();
        String dockerId;
        gate.readLock().lock();
        try {
            if (closed) {
                throw new ContainerException("the Docker factory is closed");
            }
            dockerId = api.create(spec(id, memoryMb, kind));
            starting.add(dockerId);
        } catch (RuntimeException e) {
            throw new ContainerException("cannot create a Docker container: " + e.getMessage(), e);
        } finally {
            gate.readLock().unlock();
        }
        LogStream stdout = new LogStream("stdout", clock);
        LogStream stderr = new LogStream("stderr", clock);
        ProxyOutput output = new ProxyOutput(stdout, stderr);
        AutoCloseable attachment = null;
        ProxyOutput.Ready ready;
        String host;
        long pid;
        try {
            attachment = api.attach(dockerId, output);
            api.start(dockerId);
            ready = output.ready().get(settings.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            host = hostNetwork() ? "127.0.0.1" : api.ipAddress(dockerId, settings.network());
            pid = api.pid(dockerId);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e instanceof TimeoutException
                    ? "did not print its READY line within "
                            + settings.startTimeout().toMillis() + " ms"
                    : e instanceof ExecutionException ee ? ee.getCause().getMessage() : e.toString();
            String oom = safeOomKilled(dockerId) ? " (killed at its memory limit of " + memoryMb + " MB)" : "";
            abandon(dockerId, attachment);
            String tail = output.startupTail();
            throw new ContainerException(
                    "container " + id + " " + why + oom + (tail.isEmpty() ? "" : "; output:\n" + tail));
        }
        StartTimings timings = new StartTimings((System.nanoTime() - t0) / 1_000_000, ready.startupMs());
        stderr.discard(); // JVM start-up warnings belong to no activation
        output.clearStartupTail();
        DockerContainer container = new DockerContainer(
                id,
                dockerId,
                memoryMb,
                host,
                ready.port(),
                timings,
                stdout,
                stderr,
                attachment,
                api,
                http,
                clock,
                live::remove,
                pid,
                DJL_PYTORCH.equals(kind) ? publisher : null);
        gate.readLock().lock();
        try {
            if (closed) { // close removed it while it started
                starting.remove(dockerId);
                container.destroy();
                throw new ContainerException("the Docker factory closed while container " + id + " started");
            }
            live.add(container);
            starting.remove(dockerId);
        } finally {
            gate.readLock().unlock();
        }
        log.debug("started {}", container);
        return container;
    }

    private boolean safeOomKilled(String dockerId) {
        try {
            return api.inspect(dockerId).oomKilled();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Removes a container that failed to start, unless {@link #close} has it already. */
    private void abandon(String dockerId, AutoCloseable attachment) {
        gate.readLock().lock();
        try {
            if (starting.remove(dockerId)) {
                api.remove(dockerId);
            }
        } catch (RuntimeException e) {
            log.warn("cannot remove the failed container {}: {}", dockerId, e.toString());
        } finally {
            gate.readLock().unlock();
        }
        if (attachment != null) {
            try {
                attachment.close();
            } catch (Exception e) {
                log.debug("closing an attachment: {}", e.toString());
            }
        }
    }

    private boolean hostNetwork() {
        return "host".equals(settings.network());
    }

    /** Docker's largest CPU weight. */
    static final int MAX_CPU_SHARES = 262_144;

    /** Docker's CPU weight for {@code memoryMb} at {@code share} of the default: 4 per MB, 2 to 262144. */
    static int cpuShares(int memoryMb, double share) {
        return (int) Math.clamp(Math.round(memoryMb * 4 * share), 2, MAX_CPU_SHARES);
    }

    /** The container for an action of {@code memoryMb} and {@code kind} (see the class comment). */
    DockerApi.ContainerSpec spec(String id, int memoryMb, String kind) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_INVOKER, settings.invokerName());
        labels.put(LABEL_CONTAINER, id);
        List<DockerApi.Bind> binds = new ArrayList<>();
        binds.add(bind(settings.artifactDir()));
        Map<String, String> env = new HashMap<>(settings.env());
        if (settings.tensorRoot() != null && DJL_PYTORCH.equals(kind)) {
            binds.add(bind(settings.tensorRoot()));
            env.put(
                    RuntimeProxy.TENSOR_ROOT_ENV,
                    settings.tensorRoot().toAbsolutePath().normalize().toString());
        }
        long nanoCpus = settings.cpusPerGb() > 0
                ? Math.max(100_000_000L, Math.round(memoryMb / 1024.0 * settings.cpusPerGb() * 1e9))
                : 0;
        return new DockerApi.ContainerSpec(
                "hearth-" + id,
                settings.image(),
                command(memoryMb, kind),
                env,
                labels,
                memoryMb * 1024L * 1024L,
                cpuShares(memoryMb, 1.0),
                nanoCpus,
                settings.pidsLimit(),
                settings.readOnlyRootFs(),
                Map.of("/tmp", "rw,exec,nosuid,nodev,size=" + settings.tmpfsMb() + "m"),
                binds,
                settings.network());
    }

    private static DockerApi.Bind bind(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return new DockerApi.Bind(abs, abs, true);
    }

    List<String> command(int memoryMb, String kind) {
        List<String> command = new ArrayList<>(List.of("java", JVM_ARGS));
        command.addAll(ProxyJvmFlags.flags(memoryMb, kind)); // heap and model-kind flags, as for process containers
        command.add("dev.hearth.proxy.RuntimeProxy");
        if (hostNetwork()) {
            command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
        } else {
            command.addAll(List.of("--host", "0.0.0.0", "--port", Integer.toString(PROXY_PORT)));
        }
        return command;
    }

    /** Containers made by this factory and still alive. */
    public int liveCount() {
        return live.size();
    }

    @Override
    public void close() {
        if (!closeAndRemoveAll()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook runs anyway
        }
        api.close();
        http.close();
    }

    /**
     * Refuses further creates, then removes the live containers and those still starting (their start
     * then fails). False when the factory was closed already.
     */
    private boolean closeAndRemoveAll() {
        gate.writeLock().lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
        } finally {
            gate.writeLock().unlock();
        }
        List.copyOf(live).parallelStream().forEach(DockerContainer::destroy);
        List.copyOf(starting).parallelStream().forEach(dockerId -> {
            if (starting.remove(dockerId)) {
                try {
                    api.remove(dockerId);
                } catch (RuntimeException e) {
                    log.warn("cannot remove the starting container {}: {}", dockerId, e.toString());
                }
            }
        });
        return true;
    }
}
