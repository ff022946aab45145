package dev.hearth.proxy;

import com.google.gson.JsonObject;
import dev.hearth.proxy.http.ProxyServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Hearth's runtime proxy: the process inside every function container, speaking OpenWhisk's
 * action-proxy protocol for the {@code java} kind.
 *
 * <pre>
 * java [RECOMMENDED_JVM_FLAGS] -cp hearth-runtime-proxy.jar:gson.jar dev.hearth.proxy.RuntimeProxy [--host 127.0.0.1] [--port 0] [--exit-with-parent]
 * stdout: HEARTH_PROXY_READY port=&lt;port&gt; startupMs=&lt;ms since JVM start&gt;     (one line, once bound)
 *
 * POST /init {"value":{"kind":"java"|"djl:pytorch","name","main":"Class[#method]","code":"&lt;base64 jar or bundle zip&gt;"|"codePath":"/abs/x.jar|bundle dir","digest","binary","env":{}}}
 *   java:        200 {"ok":true,"timings":{"loadMs":n}}
 *   djl:pytorch: 200 {"ok":true,"timings":{"engineInitMs":n,"modelLoadMs":n,"loadPhases":{"bundleMs":x,...},"preloaded":false},
 *                "weights":{...as in /stats}}   (loadPhases: where modelLoadMs went, see LoadedModel#loadPhases)
 *                (engine initialised eagerly; no "main"; "digest", the code's SHA-256, keys the tensor index)
 *                a "digest" that was pre-loaded binds that model, no load: "timings":{"engineInitMs":0,"modelLoadMs":0,"preloaded":true}
 *   403 already initialized | 502 bad jar/class/method or invalid bundle (the validator's message) | 400 malformed JSON
 *   whatever the kind and the outcome, every other pre-loaded model is closed before /init answers
 * POST /preload {"value":{"kind":"djl:pytorch","codePath":"/abs/bundle.zip|bundle dir","digest":"&lt;64 lowercase hex&gt;"}}
 *   200 {"ok":true,"digest","already":false,"timings":{"engineInitMs":n,"modelLoadMs":n,"warmUps":n,"warmUpMs":n},"weights":{...as in /stats}}
 *       loads the bundle as /init would, without initialising the container (/run still refuses), then runs
 *       -Dhearth.proxy.preload-warm-ups example requests (default 5) through it; several may be held
 *   200 {...,"already":true,"timings":{"engineInitMs":0,"modelLoadMs":0},...}   (that digest was pre-loaded: no load)
 *   403 {"error":"Cannot preload into an initialized container."} | 502 invalid bundle, nothing kept | 400 malformed
 * POST /offload {"value":{"digest":"&lt;64 lowercase hex&gt;"}}
 *   200 {"ok":true,"offloaded":true|false}   (closes that pre-load: native memory freed, store files unmapped)
 *   403 initialized (a bound container offloads nothing) | 400 malformed
 * POST /run  {"value":{params},"namespace","action_name","activation_id","transaction_id","deadline","api_key"[,"cpu_threads"]}
 *   (cpu_threads, Hearth's: a model's forward pass runs on that many intra-op threads; 400 unless a whole number 1..1024)
 *   java:        200 &lt;the action's JsonObject&gt; | 502 action threw / returned no object
 *   djl:pytorch: 200 &lt;the output adapter's JSON&gt; + header X-Hearth-Inference-Ms: &lt;decimal ms&gt;
 *                | 502 {"error":"&lt;bad input, naming the expected shape/dtype&gt;"}
 *   500 not initialized | 400 malformed
 *   every answer carries X-Hearth-Logs: stdout,stderr | stdout | stderr | none, the streams printed on since their
 *   last sentinel, and is followed by XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX on exactly those; a refusal (400, 500)
 *   carries no such header and is followed by the sentinel on stdout and on stderr
 * POST /engine  200 {"engine":"PyTorch","version","engineInitMs"[,"buildWarmUpMs","loadWarmUpMs"]}   (initialise DJL's engine now;
 *              0 ms if it was; the first also runs the model-building path once on a throw-away ResNet-50 and the
 *              store's all-tensors-present load path -Dhearth.proxy.warm-load-rounds times (default 10) on a throw-away
 *              model in a throw-away store, so a stem cell's load runs compiled code)
 * GET  /stats  {"uptimeMs","startupMs","initMs","heapUsedBytes","heapCommittedBytes","heapMaxBytes","runs","action"}
 *              + for a model: "weights":{"sharing","tensors","sharedTensors","sharedBytes","privateBytes","storeDigests":[...],"warnings":[...]},
 *                "intraOpThreads" (what the next /run computes on unless its cpu_threads names another count)
 *              (sharing is on when env HEARTH_TENSOR_ROOT names the tensor store; TorchScript weights are always private)
 *              + "preloaded":[{"digest","modelLoadMs","sharedBytes","privateBytes"}]   (always; [] once initialized)
 *              + "heapTrims","lastHeapTrimMicros"   (model proxies: C heap trims once idle, see NativeHeapTrim)
 *              + "connections","handOffs"   (connections accepted; work requests a reader thread handed to the
 *                activation thread, see ProxyServer)
 * any request: 400 malformed | 413 body past -Dhearth.proxy.max-body-bytes | 431 head past 64 KB | 501 a transfer
 *              coding other than chunked | 505 not HTTP/1.x   (each {"error":...}, the connection closed after it)
 * </pre>
 *
 * <p>The action is {@code public static com.google.gson.JsonObject main(JsonObject)} (or the method
 * named after {@code #}), loaded from its jar in a class loader whose parent is the proxy's. Runs are
 * serialized. Unlike OpenWhisk's Java runtime, which sets environment variables, the activation
 * context ({@code __OW_NAMESPACE}, {@code __OW_ACTION_NAME}, {@code __OW_ACTIVATION_ID},
 * {@code __OW_TRANSACTION_ID}, {@code __OW_DEADLINE}, {@code __OW_API_KEY}) and the init {@code env}
 * are system properties: a JVM cannot change its own environment. Errors are
 * {@code {"error":"..."}}. {@code deadline} is exposed, not enforced: the invoker owns time-outs.
 *
 * <p>Start-up matters (it is on the cold-start path): no framework, Gson's tree model only, no lambdas
 * or indy string concatenation on the start-up path. Measure with {@code bench/proxy-startup}.
 */
public final class RuntimeProxy {

    /** The line the proxy prints on stdout once it accepts connections, followed by {@code port=... startupMs=...}. */
    public static final String READY_PREFIX = "HEARTH_PROXY_READY";

    /**
     * The environment variable naming the machine's tensor store directory (the invoker sets it; e.g.
     * {@code /dev/shm/hearth/tensors}). Set: {@code djl-params} weights are loaded through the store,
     * shared zero-copy with every other container of the machine. Unset: private loading.
     */
    public static final String TENSOR_ROOT_ENV = "HEARTH_TENSOR_ROOT";

    /** {@code 1}: offer every anonymous page to the kernel's same-page merging ({@link PageMerging}). */
    public static final String MERGE_PAGES_ENV = "HEARTH_MERGE_PAGES";

    /**
     * The machine's stack-protector canary (hex) for merged model containers, set by the invoker's
     * preloaded stack-guard shim before libtorch starts ({@link PageMerging}).
     */
    public static final String STACK_GUARD_ENV = "HEARTH_STACK_GUARD";

    /**
     * glibc's allocator thresholds as a model proxy fixes them once it runs ({@link NativeHeapTrim#fixThresholds}),
     * as the environment variables that give a process started with them the same from its first allocation:
     * for a baseline that should allocate as a model container does.
     */
    public static Map<String, String> mallocThresholdsEnvironment() {
        return Map.of(
                "MALLOC_MMAP_THRESHOLD_", Integer.toString(NativeHeapTrim.MMAP_THRESHOLD),
                "MALLOC_TRIM_THRESHOLD_", Integer.toString(NativeHeapTrim.TRIM_THRESHOLD),
                "MALLOC_TOP_PAD_", Integer.toString(NativeHeapTrim.TOP_PAD));
    }

    /** The line that ends each activation's output on stdout and on stderr. */
    public static final String SENTINEL = ActivationLogs.SENTINEL;

    /**
     * JVM flags for spawning the proxy: C1 only (the proxy and a short action rarely reach C2, and C2
     * threads compete with start-up), the serial collector (a small heap, one action at a time; no GC
     * threads to start), the default CDS archive, and no hsperfdata file (saves an mmap'd file per
     * container; hides the process from {@code jps}/{@code jstat}). Heap limits ({@code -Xmx}) are the
     * invoker's, from the action's memory limit.
     */
    public static final List<String> RECOMMENDED_JVM_FLAGS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData");

    /**
     * Extra flags for a proxy that will run a {@code djl:pytorch} action (or a java action using DJL):
     * native access for the class path. DJL loads libtorch through JNA's {@code System.load}; without
     * this JDK 24+ prints a "restricted method" warning into the first model activation's stderr. Not
     * part of {@link #RECOMMENDED_JVM_FLAGS}: with it, JDK 25 refuses a dynamic AppCDS archive written
     * without it, so a model proxy needs its own archive (or none).
     */
    public static final List<String> MODEL_JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED");

    private RuntimeProxy() {}

    /**
     * {@link #RECOMMENDED_JVM_FLAGS} plus a dynamic AppCDS archive of the proxy's own classes (JDK 19+):
     * the first process to start with it writes the archive at exit, later ones map it. Share one archive
     * per proxy build and JDK; a stale or foreign archive is ignored (with a warning) and rewritten.
     */
    public static List<String> jvmFlags(Path cdsArchive) {
        List<String> flags = new ArrayList<>(RECOMMENDED_JVM_FLAGS);
        flags.add("-XX:+AutoCreateSharedArchive");
        flags.add("-XX:SharedArchiveFile=" + cdsArchive.toAbsolutePath());
        return List.copyOf(flags);
    }

    /**
     * {@link #RECOMMENDED_JVM_FLAGS} with a JDK 24+ AOT cache (classes loaded and linked ahead of time) in place
     * of the default CDS archive: the JVM refuses {@code -XX:AOTCache} beside any {@code -Xshare} option.
     */
    public static List<String> jvmFlagsWithAotCache(Path cache) {
        return withoutShare("-XX:AOTCache=" + cache.toAbsolutePath());
    }

    /**
     * {@link #RECOMMENDED_JVM_FLAGS} for a training run that writes a JDK 25+ AOT cache to {@code output} when it
     * exits normally (JEP 514's one-step workflow: the JVM assembles the cache in a child JVM before it exits).
     */
    public static List<String> jvmFlagsRecordingAotCache(Path output) {
        return withoutShare("-XX:AOTCacheOutput=" + output.toAbsolutePath());
    }

    private static List<String> withoutShare(String flag) {
        List<String> flags = new ArrayList<>(RECOMMENDED_JVM_FLAGS);
        flags.removeIf(f -> f.startsWith("-Xshare:"));
        flags.add(flag);
        return List.copyOf(flags);
    }

    public static void main(String[] args) throws IOException {
        long jvmStartNanos = System.nanoTime() - JvmAge.nanos();
        String host = "127.0.0.1";
        int port = 0;
        boolean exitWithParent = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if ("--host".equals(arg) && value != null) {
                host = value;
                i++;
            } else if ("--port".equals(arg) && value != null) {
                port = parsePort(value);
                i++;
            } else if ("--exit-with-parent".equals(arg)) {
                exitWithParent = true;
            } else {
                usage("unknown or incomplete option: " + arg);
            }
        }
        JnaSearchPath.setUnlessGiven(); // before JNA's first use: no ldconfig child process
        PageMerging.requestIfAsked(); // first: its regions now are what every container has in common
        if (exitWithParent) {
            ParentWatch.start();
        }
        quietLibraryLogging();
        ActivationLogs logs = ActivationLogs.install();
        ProxyStats stats = new ProxyStats(jvmStartNanos);
        String tensorRoot = System.getenv(TENSOR_ROOT_ENV);
        ActionHost action =
                new ActionHost(logs, stats, tensorRoot == null || tensorRoot.isBlank() ? null : Path.of(tensorRoot));
        ProxyServer server = start(host, port, action);
        long startupMs = stats.ready(System.nanoTime());
        logs.announce(READY_PREFIX + " port=" + server.port() + " startupMs=" + startupMs);
    }

    /**
     * DJL logs through SLF4J. With no provider, SLF4J prints a "No SLF4J providers were found" warning on
     * stderr at first use, which would land in a user's activation logs. The proxy ships no binding and
     * selects SLF4J's built-in no-operation provider instead (and silences SLF4J's own notice about that),
     * unless these properties were set on the command line. Library logs are dropped; the proxy's errors
     * and the model host's messages reach the caller through HTTP responses.
     */
    static void quietLibraryLogging() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        }
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
    }

    /**
     * The largest request body the proxy reads ({@code -Dhearth.proxy.max-body-bytes}, default and most:
     * what one Java array holds). Bodies are read whole; a bundle larger than this goes by {@code codePath}.
     */
    static final String MAX_BODY_BYTES = "hearth.proxy.max-body-bytes";

    static ProxyServer start(String host, int port, ActionHost action) throws IOException {
        ServerStats http = new ServerStats();
        Router router = new Router()
                .work("/init", new Route() {
                    @Override
                    public Reply handle(JsonObject body) throws ProxyError {
                        return action.init(body);
                    }
                })
                .work("/run", new Route() {
                    @Override
                    public Reply handle(JsonObject body) throws ProxyError {
                        return action.run(body);
                    }
                })
                .work("/preload", new Route() {
                    @Override
                    public Reply handle(JsonObject body) throws ProxyError {
                        return action.preload(body);
                    }
                })
                .work("/offload", new Route() {
                    @Override
                    public Reply handle(JsonObject body) throws ProxyError {
                        return action.offload(body);
                    }
                })
                .work("/engine", new Route() {
                    @Override
                    public Reply handle(JsonObject body) {
                        return action.engine();
                    }
                })
                .get("/stats", new Route() {
                    @Override
                    public Reply handle(JsonObject body) {
                        Reply reply = action.stats();
                        http.addTo(reply.body());
                        return reply;
                    }
                });
        ProxyServer server = ProxyServer.start(
                new InetSocketAddress(host, port),
                64,
                Integer.getInteger(MAX_BODY_BYTES, Integer.MAX_VALUE - 8),
                router);
        http.server = server;
        return server;
    }

    /** The server's counters on {@code /stats} ({@code "connections"}, {@code "handOffs"}). */
    private static final class ServerStats {
        private volatile ProxyServer server;

        void addTo(JsonObject json) {
            ProxyServer s = server;
            if (s != null) {
                json.addProperty("connections", s.connections());
                json.addProperty("handOffs", s.handOffs());
            }
        }
    }

    private static int parsePort(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("--port must be a number from 0 to 65535, got " + value);
        return -1;
    }

    private static void usage(String problem) {
        System.err.println("runtime-proxy: " + problem);
        System.err.println(
                "usage: java dev.hearth.proxy.RuntimeProxy [--host 127.0.0.1] [--port 0] [--exit-with-parent]");
        System.exit(2);
    }
}
