package dev.hearth.invoker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything an invoker reads from configuration ({@code hearth.invoker.*}), with its defaults in one
 * place: the compact constructors below. A bad value fails start-up with a message naming the key and
 * the value.
 *
 * @param instance       this invoker's index N: it consumes topic {@code invoker{N}}
 * @param userMemoryMb   memory for action containers, in MB (default 4096: one 4 GB model action, the largest
 *                       model size, fits; the pool never assumes a container is smaller than this; a
 *                       launcher such as standalone passes its own)
 * @param idleTimeout    an idle warm container older than this is removed (default 10 min)
 * @param dataDir        artifact cache and container work directories (default {@code ${java.io.tmpdir}/hearth-invoker})
 * @param djlCacheDir    DJL's cache ({@code DJL_CACHE_DIR} of every container): the PyTorch natives (~432 MB)
 *                       are extracted here once per machine (default {@code <dataDir>/djl-cache})
 * @param kafka          where the messaging port connects when the application builds it itself
 * @param pingInterval   how often a health ping goes out (default 1 s)
 * @param factory        which {@link dev.hearth.invoker.container.ContainerFactory} makes containers: {@code process}
 *                       (default), {@code docker}, or {@code auto} (docker when an engine answers and has the
 *                       runtime-proxy image, else process; the choice and its reason are logged)
 * @param process        settings of the process factory
 * @param tensors        the machine's tensor store: shared model weights
 * @param prewarm        stem cells kept ready per kind and memory size (default none), e.g.
 *                       {@code prewarm[0].kind=djl:pytorch}, {@code prewarm[0].memory-mb=1024},
 *                       {@code prewarm[0].count=1}
 * @param preload        the pre-loader: models put into stem cells before they are needed
 *                       ({@code follow-scheduler}, default true, read by the configuration: apply the
 *                       scheduler's stem-cell and pre-load targets)
 * @param docker         settings of the Docker factory
 * @param direct         the direct path for blocking activations: controllers POST them to this invoker
 *                       instead of sending them through Kafka
 * @param cpu            CPU weight by call rate: rare functions' calls first
 */
@ConfigurationProperties("hearth.invoker")
public record InvokerProperties(
        Integer instance,
        Integer userMemoryMb,
        Duration idleTimeout,
        Path dataDir,
        Kafka kafka,
        Duration pingInterval,
        FactoryKind factory,
        Process process,
        Path djlCacheDir,
        Tensors tensors,
        List<dev.hearth.invoker.pool.PrewarmTarget> prewarm,
        Preload preload,
        Docker docker,
        Direct direct,
        Cpu cpu) {

    public static final String PREFIX = "hearth.invoker.";

    public InvokerProperties {
        instance = instance == null ? 0 : instance;
        userMemoryMb = userMemoryMb == null ? 4096 : userMemoryMb;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(10) : idleTimeout;
        dataDir = dataDir == null ? Path.of(System.getProperty("java.io.tmpdir"), "hearth-invoker") : dataDir;
        kafka = kafka == null ? new Kafka(null) : kafka;
        pingInterval = pingInterval == null ? Duration.ofSeconds(1) : pingInterval;
        factory = factory == null ? FactoryKind.PROCESS : factory;
        process = process == null ? new Process(null, null, null, null, null, null, null, null) : process;
        djlCacheDir = djlCacheDir == null ? dataDir.resolve("djl-cache") : djlCacheDir;
        tensors = tensors == null ? new Tensors(null, null, null, null, null) : tensors;
        prewarm = prewarm == null ? List.of() : List.copyOf(prewarm);
        preload = preload == null ? new Preload(null, null, null, null) : preload;
        docker = docker == null ? Docker.defaults() : docker;
        direct = direct == null ? new Direct(null, null, null, null) : direct;
        cpu = cpu == null ? new Cpu(null, null, null, null, null, null) : cpu;
        check(instance >= 0, "instance", instance, "must be 0 or more");
        check(userMemoryMb > 0, "user-memory-mb", userMemoryMb, "must be more than 0");
        check(idleTimeout.isPositive(), "idle-timeout", idleTimeout, "must be positive");
        check(pingInterval.isPositive(), "ping-interval", pingInterval, "must be positive");
    }

    /** Defaults everywhere: what an invoker without configuration runs with. */
    public static InvokerProperties defaults() {
        return new InvokerProperties(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Container factories: child JVMs, Docker containers, or Docker when available. */
    public enum FactoryKind {
        PROCESS,
        DOCKER,
        AUTO
    }

    /**
     * @param host           the engine ({@code unix:///var/run/docker.sock} or {@code tcp://...}; default
     *                       {@code $DOCKER_HOST}, else the local socket)
     * @param image          the runtime-proxy image, built locally (default {@code hearth/runtime-proxy:latest})
     * @param network        the network of function containers (default {@code bridge}; {@code host}, or a
     *                       user network the invoker is attached to, e.g. docker-compose's)
     * @param name           label value that marks this invoker's containers, so a restarted invoker of the
     *                       same name removes its orphans (default {@code invoker<instance>})
     * @param startTimeout   how long a container may take to print its READY line (default 30 s)
     * @param pidsLimit      processes and threads per container (default 512)
     * @param tmpfsMb        size of the tmpfs {@code /tmp} (default 128; it counts against the memory limit)
     * @param readOnlyRootFs a read-only root file system (default true)
     * @param cpusPerGb      a hard CPU cap per GB of action memory, 0 for none (default 0: CPU shares only)
     * @param pauseGrace     an idle container is paused after this long and resumed on reuse (default 500 ms)
     */
    public record Docker(
            String host,
            String image,
            String network,
            String name,
            Duration startTimeout,
            Integer pidsLimit,
            Integer tmpfsMb,
            Boolean readOnlyRootFs,
            Double cpusPerGb,
            Duration pauseGrace) {
        public Docker {
            String env = System.getenv("DOCKER_HOST");
            host = host != null && !host.isBlank()
                    ? host
                    : env != null && !env.isBlank() ? env : "unix:///var/run/docker.sock";
            image = image == null || image.isBlank() ? "hearth/runtime-proxy:latest" : image;
            network = network == null || network.isBlank() ? "bridge" : network;
            startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
            pidsLimit = pidsLimit == null ? 512 : pidsLimit;
            tmpfsMb = tmpfsMb == null ? 128 : tmpfsMb;
            readOnlyRootFs = readOnlyRootFs == null || readOnlyRootFs;
            cpusPerGb = cpusPerGb == null ? 0.0 : cpusPerGb;
            pauseGrace = pauseGrace == null ? Duration.ofMillis(500) : pauseGrace;
            check(
                    host.startsWith("unix://") || host.startsWith("tcp://"),
                    "docker.host",
                    host,
                    "must start with unix:// or tcp://");
            check(
                    name == null || name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*"),
                    "docker.name",
                    name,
                    "must be letters, digits, '_', '.' or '-'");
            check(startTimeout.isPositive(), "docker.start-timeout", startTimeout, "must be positive");
            check(pidsLimit >= 32, "docker.pids-limit", pidsLimit, "must be at least 32 (a JVM starts ~20 threads)");
            check(tmpfsMb >= 1, "docker.tmpfs-mb", tmpfsMb, "must be at least 1");
            check(cpusPerGb >= 0, "docker.cpus-per-gb", cpusPerGb, "must be 0 or more");
            check(!pauseGrace.isNegative(), "docker.pause-grace", pauseGrace, "must not be negative");
        }

        static Docker defaults() {
            return new Docker(null, null, null, null, null, null, null, null, null, null);
        }

        /** {@link #name}, or {@code invoker<instance>} when unset. */
        public String nameFor(int instance) {
            return name != null ? name : "invoker" + instance;
        }
    }

    /** @param bootstrapServers Kafka's bootstrap servers (default {@code localhost:9092}) */
    public record Kafka(String bootstrapServers) {
        public Kafka {
            bootstrapServers = bootstrapServers == null ? "localhost:9092" : bootstrapServers;
            check(!bootstrapServers.isBlank(), "kafka.bootstrap-servers", bootstrapServers, "must not be blank");
        }
    }

    /**
     * @param javaHome       the JDK or JRE whose {@code bin/java} runs containers (default: this JVM's java.home)
     * @param proxyClasspath the runtime proxy's classpath (default: the proxy's jar and the jars its
     *                       {@code META-INF/hearth/proxy-dependencies.txt} lists, see {@link ProxyClasspath})
     * @param extraJvmFlags  flags added after the proxy's recommended ones and the per-kind ones of
     *                       {@link dev.hearth.invoker.container.ProxyJvmFlags}, so they win (default none)
     * @param startTimeout   how long a container may take to print its READY line (default 30 s, as Docker's)
     * @param cgroupRoot     the cgroup v1 memory directory containers go under, used when writable
     *                       (default {@code /sys/fs/cgroup/memory/hearth})
     * @param appCds         start proxies from a cache of their classes (default true; needs the proxy as jars):
     *                       an AOT cache on JDK 25+, a dynamic AppCDS archive before (see {@code ProxyClassCache})
     * @param warmUpEngine   at start, initialise the PyTorch engine once in a throw-away proxy so the natives
     *                       are extracted into the DJL cache before the first model cold start (default true)
     * @param aotCache       with {@code appCds} on a JDK 25+, the cache is an AOT cache (default true; false keeps
     *                       the dynamic AppCDS archive, for comparison in benchmarks)
     */
    public record Process(
            Path javaHome,
            String proxyClasspath,
            List<String> extraJvmFlags,
            Duration startTimeout,
            Path cgroupRoot,
            Boolean appCds,
            Boolean warmUpEngine,
            Boolean aotCache) {
        public Process {
            appCds = appCds == null || appCds;
            warmUpEngine = warmUpEngine == null || warmUpEngine;
            aotCache = aotCache == null || aotCache;
            javaHome = javaHome == null ? Path.of(System.getProperty("java.home")) : javaHome;
            proxyClasspath =
                    proxyClasspath == null || proxyClasspath.isBlank() ? ProxyClasspath.derive() : proxyClasspath;
            extraJvmFlags = extraJvmFlags == null ? List.of() : List.copyOf(extraJvmFlags);
            startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
            cgroupRoot = cgroupRoot == null ? Path.of("/sys/fs/cgroup/memory/hearth") : cgroupRoot;
            check(
                    java.nio.file.Files.isExecutable(javaHome.resolve("bin/java")),
                    "process.java-home",
                    javaHome,
                    "has no executable bin/java");
            check(startTimeout.isPositive(), "process.start-timeout", startTimeout, "must be positive");
        }

        /** The {@code java} executable. */
        public Path javaExecutable() {
            return javaHome.resolve("bin/java");
        }
    }

    /**
     * @param sharing      load model weights through the store, mapped and shared by every container
     *                     (default true; false loads them into each container's private memory, for
     *                     comparison and benchmarks)
     * @param root         the store's directory, on shared memory (default {@code /dev/shm/hearth/tensors});
     *                     one invoker per store
     * @param grace        how long an unreferenced tensor stays before removal (default 10 min); under
     *                     memory pressure it goes sooner
     * @param scrubOnStart hash every stored tensor again at start, in the background, removing bad ones
     *                     (default true)
     * @param mergeRuntime with sharing on, also let the kernel merge the pages model containers have in
     *                     common (libtorch's start-up heap): process containers of model kinds start with
     *                     libtorch preloaded, address randomisation off and their pages offered to KSM,
     *                     which the invoker switches on if it can (default false: it trades ASLR in model
     *                     containers for ~30 MB each; see docs/architecture.md, "Merging the runtime")
     */
    public record Tensors(Boolean sharing, Path root, Duration grace, Boolean scrubOnStart, Boolean mergeRuntime) {
        public Tensors {
            sharing = sharing == null || sharing;
            mergeRuntime = mergeRuntime != null && mergeRuntime && sharing;
            root = root == null ? Path.of(dev.hearth.model.tensors.TensorStore.DEFAULT_ROOT) : root;
            grace = grace == null ? Duration.ofMinutes(10) : grace;
            scrubOnStart = scrubOnStart == null || scrubOnStart;
            check(!grace.isNegative(), "tensors.grace", grace, "must not be negative");
            check(root.isAbsolute(), "tensors.root", root, "must be an absolute path");
        }
    }

    /**
     * @param enabled  pre-load models of functions likely to be called into idle stem cells (default true;
     *                 it needs stem cells of the function's kind and memory to do anything)
     * @param interval how often the pre-loader decides (default 1 s)
     * @param horizon  how far ahead a call must be likely for a pre-load to be worth it (default 10 min,
     *                 OpenWhisk's keep-alive)
     * @param background run work ahead of demand at background CPU priority (default true): stem cells
     *                 from their start through their pre-loads, and containers started ahead of a call, until
     *                 their first activation (see {@link dev.hearth.invoker.container.CpuPriority})
     */
    public record Preload(Boolean enabled, Duration interval, Duration horizon, Boolean background) {
        public Preload {
            enabled = enabled == null || enabled;
            background = background == null || background;
            interval = interval == null ? Duration.ofSeconds(1) : interval;
            horizon = horizon == null ? Duration.ofMinutes(10) : horizon;
            check(interval.isPositive(), "preload.interval", interval, "must be positive");
            check(horizon.isPositive(), "preload.horizon", horizon, "must be positive");
        }
    }

    /**
     * CPU weight by call rate ({@link dev.hearth.invoker.pool.RareFirst}): while a call of a rare function
     * runs, its container has {@code rareShare} times the weight of the others (times the scheduler's share);
     * a model or code loaded at {@code /init} loads without it.
     *
     * @param rareGap   a function whose calls come at least this far apart on average (or whose rate is not
     *                  known yet) is rare (default 4 min)
     * @param rareShare a rare function's share, 1 to 100 (default 10: nice -10 for a process container,
     *                  10x its memory's CPU shares for a Docker one; 1 turns the rule off)
     * @param splitThreads split the cores between the activations running at once (default true): each
     *                  {@code /run} names the threads to compute on ({@link dev.hearth.invoker.cpu.ThreadSplit});
     *                  false leaves them to the runtimes (libtorch: one per core in every container)
     * @param gompSpinCount {@code GOMP_SPINCOUNT} of every container: how long libtorch's OpenMP workers spin
     *                  at a barrier before they sleep (default {@value #SPLIT_GOMP_SPIN_COUNT} with the split of
     *                  the cores, {@value #UNSPLIT_GOMP_SPIN_COUNT} without it; the measurements are in
     *                  {@link dev.hearth.invoker.container.ContainerEnv}); -1 leaves libgomp's own (300000)
     * @param passMaxWait how long a model's forward pass may wait for its turn at the
     *                  {@link dev.hearth.invoker.cpu.PassGate} (one pass per 4 cores at once) before it runs
     *                  beside the others anyway; 0 (the default) turns the gate off: one replay (session 18)
     *                  showed no gain from it on this 2-core machine, see README
     * @param backgroundNice the nice level of this JVM's threads that work beside the calls rather than on
     *                  their path (the JIT, G1's concurrent threads, the records' writer, producers, timers;
     *                  {@link dev.hearth.invoker.cpu.BackgroundThreads}), 0 to 19; 0 (the default) leaves them at
     *                  the containers' level: {@value #BACKGROUND_NICE} against 0 showed no gain on a warm
     *                  ResNet-50 in two within-run comparisons (session 35, README)
     */
    public record Cpu(
            Duration rareGap,
            Double rareShare,
            Boolean splitThreads,
            Integer gompSpinCount,
            Duration passMaxWait,
            Integer backgroundNice) {
        /** The level {@code bench/model-latency --background-ab} compares with 0: a CFS weight of 110 against 1024. */
        public static final int BACKGROUND_NICE = 10;

        /** {@code gomp-spin-count}'s default while {@code split-threads} is on. */
        public static final int SPLIT_GOMP_SPIN_COUNT = 10_000;

        /** {@code gomp-spin-count}'s default with {@code split-threads} off. */
        public static final int UNSPLIT_GOMP_SPIN_COUNT = 1000;

        public Cpu {
            rareGap = rareGap == null ? Duration.ofMinutes(4) : rareGap;
            rareShare = rareShare == null ? 10.0 : rareShare;
            splitThreads = splitThreads == null ? Boolean.TRUE : splitThreads;
            gompSpinCount = gompSpinCount == null ? defaultGompSpinCount(splitThreads) : gompSpinCount;
            passMaxWait = passMaxWait == null ? Duration.ZERO : passMaxWait;
            backgroundNice = backgroundNice == null ? 0 : backgroundNice;
            check(
                    backgroundNice >= 0 && backgroundNice <= 19,
                    "cpu.background-nice",
                    backgroundNice,
                    "must be from 0 to 19");
            check(!passMaxWait.isNegative(), "cpu.pass-max-wait", passMaxWait, "must not be negative");
            check(gompSpinCount >= -1, "cpu.gomp-spin-count", gompSpinCount, "must be -1 (libgomp's default) or more");
            check(rareGap.isPositive(), "cpu.rare-gap", rareGap, "must be positive");
            check(rareShare >= 1 && rareShare <= 100, "cpu.rare-share", rareShare, "must be from 1 to 100");
        }

        /**
         * The spin that suits how passes overlap: with the split a pass that starts beside another computes
         * on fewer threads, so two teams of a thread per core rarely share the cores and a longer spin keeps a
         * lone pass's worker awake between operators; without the split they do, and spinning starves them.
         */
        public static int defaultGompSpinCount(boolean splitThreads) {
            return splitThreads ? SPLIT_GOMP_SPIN_COUNT : UNSPLIT_GOMP_SPIN_COUNT;
        }
    }

    /**
     * @param enabled offer {@code POST /invoker/activations} and advertise it in health pings (default true)
     * @param url     the base URL controllers reach this invoker's HTTP port at (default
     *                {@code http://<this host's address>:<server port>}; set it when controllers see this
     *                invoker under another name, e.g. a Kubernetes pod IP or a Compose service name)
     * @param storeDelay how long the record of an answered call may wait to be stored with others' (default 0:
     *                stored at once, batching only the records that queue during a write); a client that reads
     *                its activation right after the call may wait this long more (the controller holds the
     *                read, {@code hearth.controller.direct.store-wait}: keep this below it). 250 ms gained no
     *                warm latency measurable above this machine's noise (session 20, README)
     * @param storeBatch the most records stored at once (default 200, at most 1000)
     */
    public record Direct(Boolean enabled, URI url, Duration storeDelay, Integer storeBatch) {
        public Direct {
            enabled = enabled == null || enabled;
            storeDelay = storeDelay == null ? Duration.ZERO : storeDelay;
            storeBatch = storeBatch == null ? 200 : storeBatch;
            check(!storeDelay.isNegative(), "direct.store-delay", storeDelay, "must not be negative");
            check(storeBatch >= 1 && storeBatch <= 1000, "direct.store-batch", storeBatch, "must be from 1 to 1000");
            check(
                    url == null
                            || (url.isAbsolute()
                                    && url.getHost() != null
                                    && url.getScheme().startsWith("http")),
                    "direct.url",
                    url,
                    "must be an absolute http(s) URL");
        }
    }

    private static void check(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(PREFIX + key + " " + rule + ", but is '" + value + "'");
        }
    }
}
