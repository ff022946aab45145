package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Holds the one action this proxy runs and carries out {@code /init} and {@code /run}, and, before
 * {@code /init}, {@code /preload} and {@code /offload} (the models kept in {@link Preloads}). All four
 * are {@code synchronized}: one activation at a time, init cannot race a run, and a pre-load cannot race
 * the init that binds or discards it. {@code /stats} takes no lock. The server calls all but
 * {@code /stats} on one long-lived thread (the activation thread, {@link dev.hearth.proxy.http.ProxyServer}), so a model always runs where it ran before.
 *
 * <p>{@code /init} binds the pre-loaded model whose digest it names (no load) and, whatever it binds or
 * if it fails, offloads every other pre-load before answering: a container bound to a function holds
 * nothing of other bundles.
 *
 * <p>Context and {@code env} are exposed as <em>system properties</em>: OpenWhisk's Java runtime puts
 * them in the process environment, which a JVM cannot change for itself. Actions read
 * {@code System.getProperty("__OW_ACTIVATION_ID")} rather than {@code System.getenv}. Context properties
 * of the previous run that the current one lacks are cleared.
 */
final class ActionHost {

    private final ActivationLogs logs;
    private final ProxyStats stats;
    private final Set<String> contextKeys = new HashSet<>();
    private final Preloads preloads = new Preloads();
    private LoadedAction action;
    private final PassLog passLog = PassLog.ifAsked();
    private volatile HostedModel model; // volatile: /stats reads it without waiting for a run

    private final Path tensorRoot;
    private volatile NativeHeapTrim heapTrim; // model kinds only: made with the first model work
    private boolean heapTrimTried;

    ActionHost(ActivationLogs logs, ProxyStats stats) {
        this(logs, stats, null);
    }

    /**
     * @param tensorRoot the machine's tensor store ({@code HEARTH_TENSOR_ROOT}); {@code null}: model
     *     weights are loaded into private memory
     */
    ActionHost(ActivationLogs logs, ProxyStats stats, Path tensorRoot) {
        this.logs = logs;
        this.stats = stats;
        this.tensorRoot = tensorRoot;
    }

    synchronized Reply init(JsonObject body) throws ProxyError {
        if (action != null || model != null) {
            throw new ProxyError(403, "Cannot initialize the action more than once.");
        }
        HostedModel preloaded = null;
        busy();
        try {
            long start = System.nanoTime();
            InitRequest init = InitRequest.parse(body);
            if (init.isModel() && init.digest() != null) {
                preloaded = preloads.take(init.digest());
            }
            preloads.offloadAll(); // before loading: the memory of the others is free for this one
            JsonObject timings;
            if (init.isModel()) {
                // Only here is DjlModel (and with it DJL) loaded: the java path never touches it.
                model = preloaded != null ? preloaded : DjlModel.load(init, tensorRoot);
                timings = preloaded != null ? preloadedTimings() : model.timings();
                timings.addProperty("preloaded", preloaded != null);
            } else {
                action = ActionLoader.load(init);
                timings = new JsonObject();
            }
            for (Map.Entry<String, String> e : init.env().entrySet()) {
                System.setProperty(e.getKey(), e.getValue());
            }
            long initMs = (System.nanoTime() - start) / 1_000_000;
            stats.initialized(init.name(), initMs);
            if (!init.isModel()) {
                timings.addProperty("loadMs", initMs);
            }
            JsonObject ok = new JsonObject();
            ok.addProperty("ok", true);
            ok.add("timings", timings);
            if (model != null) {
                ok.add("weights", model.weights());
            }
            return Reply.ok(ok);
        } finally {
            preloads.offloadAll(); // also when the init failed before it got to the line above
            if (preloaded != null && model != preloaded) {
                preloaded.close(); // taken but not bound: the init failed
            }
            if (model != null) {
                idle(NativeHeapTrim.AFTER_LOAD_MS);
            }
        }
    }

    private static JsonObject preloadedTimings() {
        JsonObject timings = new JsonObject();
        timings.addProperty("engineInitMs", 0);
        timings.addProperty("modelLoadMs", 0);
        return timings;
    }

    /**
     * {@code -Dhearth.proxy.preload-warm-ups=n} (default {@value #PRELOAD_WARM_UPS_DEFAULT}): how many
     * example requests {@code /preload} runs through a model it loaded. One is not enough: on a fresh
     * stem cell a ResNet-50's first real {@code /run} after one warm-up took ~290 ms, the next ones ~240,
     * ~190, then ~140 ms steady (FirstRunProbe, 6 rounds, session 13): the process's code paths are still
     * being compiled (and, until session 16, those calls ran on other threads than the warm-ups: see
     * the activation thread, {@link dev.hearth.proxy.http.ProxyServer}). A pre-load runs in the background (a stem cell at nice 19), so the calls cost no
     * activation anything.
     */
    static final String PRELOAD_WARM_UPS = "hearth.proxy.preload-warm-ups";

    static final int PRELOAD_WARM_UPS_DEFAULT = 5;

    /**
     * {@code POST /preload}: loads a model bundle without binding the container to a function and runs
     * {@link #PRELOAD_WARM_UPS} example requests through it ({@code timings.warmUps}, {@code warmUpMs}: all
     * of them), so the function's first call finds it warm; or answers {@code already:true} without loading
     * when its digest is pre-loaded. A load that fails
     * leaves nothing behind (the model host closes what it opened).
     */
    synchronized Reply preload(JsonObject body) throws ProxyError {
        if (action != null || model != null) {
            throw new ProxyError(403, "Cannot preload into an initialized container.");
        }
        PreloadRequest request = PreloadRequest.parse(body);
        HostedModel loaded = preloads.get(request.digest());
        boolean already = loaded != null;
        JsonObject timings;
        if (already) {
            timings = preloadedTimings();
        } else {
            long warmUpMs = 0;
            int warmUps = Math.max(0, Integer.getInteger(PRELOAD_WARM_UPS, PRELOAD_WARM_UPS_DEFAULT));
            busy();
            try {
                loaded = DjlModel.load(request, tensorRoot);
                try {
                    for (int i = 0; i < warmUps; i++) {
                        warmUpMs += loaded.warmUp(); // the bound function's first call runs warm
                    }
                } catch (ProxyError | RuntimeException e) {
                    loaded.close();
                    throw e;
                }
            } finally {
                idle(NativeHeapTrim.AFTER_LOAD_MS);
            }
            preloads.add(request.digest(), loaded);
            timings = loaded.timings();
            timings.addProperty("warmUps", warmUps);
            timings.addProperty("warmUpMs", warmUpMs);
        }
        JsonObject ok = new JsonObject();
        ok.addProperty("ok", true);
        ok.addProperty("digest", request.digest());
        ok.addProperty("already", already);
        ok.add("timings", timings);
        ok.add("weights", loaded.weights());
        return Reply.ok(ok);
    }

    /** {@code POST /offload}: closes the model pre-loaded under the digest, if there is one. */
    synchronized Reply offload(JsonObject body) throws ProxyError {
        if (action != null || model != null) {
            throw new ProxyError(403, "Cannot offload from an initialized container.");
        }
        String digest = PreloadRequest.parseOffload(body);
        JsonObject ok = new JsonObject();
        ok.addProperty("ok", true);
        boolean offloaded = preloads.offload(digest);
        ok.addProperty("offloaded", offloaded);
        if (offloaded) {
            idle(NativeHeapTrim.AFTER_LOAD_MS);
        }
        return Reply.ok(ok);
    }

    /**
     * Runs the action once. An answer (success or the action's failure) is followed by a sentinel on each
     * stream printed on since its last sentinel and names them in its {@value ActivationLogs#HEADER} header;
     * a refused request (a {@link ProxyError}) or a failure of the proxy is followed by one on each stream,
     * as the invoker expects of an answer without that header.
     */
    synchronized Reply run(JsonObject body) throws ProxyError {
        boolean ended = false;
        try {
            Reply reply = runOnce(body);
            ActivationLogs.Ended printed = logs.endPrinted();
            ended = true;
            Map<String, String> headers = new HashMap<>(reply.headers());
            headers.put(ActivationLogs.HEADER, printed.header());
            return new Reply(reply.status(), reply.body(), headers);
        } finally {
            if (!ended) {
                logs.endActivation();
            }
        }
    }

    private Reply runOnce(JsonObject body) throws ProxyError {
        if (action == null && model == null) {
            throw new ProxyError(500, "Cannot invoke an uninitialized action.");
        }
        RunRequest run = RunRequest.parse(body);
        if (model != null) {
            exposeContext(run.context());
            stats.ran();
            busy();
            if (passLog != null) {
                passLog.start();
            }
            try {
                return model.run(run.value(), run.cpuThreads());
            } finally {
                if (passLog != null) {
                    passLog.end(run.cpuThreads());
                }
                idle(NativeHeapTrim.AFTER_RUN_MS);
            }
        }
        return invoke(action, run);
    }

    /** Model work starts: no heap trim under it (see {@link NativeHeapTrim}). */
    private void busy() {
        if (heapTrim != null) {
            heapTrim.busy();
        }
    }

    /** Model work ended: trim the C heap once the proxy stays idle. Only model proxies load JNA for it. */
    private synchronized void idle(long idleMs) {
        if (!heapTrimTried) {
            heapTrimTried = true;
            heapTrim = NativeHeapTrim.glibc();
        }
        if (heapTrim != null) {
            heapTrim.idle(idleMs);
        }
    }

    private Reply invoke(LoadedAction action, RunRequest run) throws ProxyError {
        exposeContext(run.context());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(action.loader());
        Object result;
        stats.ran();
        try {
            result = action.entry().invoke(null, run.value());
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            cause.printStackTrace();
            String message = cause.getMessage() == null
                    ? cause.getClass().getName()
                    : cause.getClass().getName() + ": " + cause.getMessage();
            throw ProxyError.badAction("An error has occurred (see logs for details): " + message, cause);
        } catch (IllegalAccessException e) {
            throw ProxyError.badAction(
                    "The action's method " + action.entry() + " cannot be called: " + e.getMessage(), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (!(result instanceof JsonObject object)) {
            throw ProxyError.badAction("The action did not return a dictionary.");
        }
        return Reply.ok(object);
    }

    private void exposeContext(Map<String, String> context) {
        for (String stale : contextKeys) {
            if (!context.containsKey(stale)) {
                System.clearProperty(stale);
            }
        }
        contextKeys.clear();
        for (Map.Entry<String, String> e : context.entrySet()) {
            System.setProperty(e.getKey(), e.getValue());
            contextKeys.add(e.getKey());
        }
    }

    /**
     * {@code POST /engine}: initialises the PyTorch engine in this process if it is not yet (the invoker
     * calls it once per machine on a throw-away proxy, to extract the natives and warm the AppCDS archive).
     */
    Reply engine() {
        Reply reply = Reply.ok(DjlModel.engine());
        idle(NativeHeapTrim.AFTER_LOAD_MS); // libtorch's start-up frees ~20 MB it keeps in the arenas otherwise
        return reply;
    }

    /** What {@code /stats} reports. */
    Reply stats() {
        JsonObject json = stats.toJson(System.nanoTime());
        HostedModel m = model;
        if (m != null) {
            json.add("weights", m.weights());
            json.addProperty("intraOpThreads", m.intraOpThreads());
        }
        json.add("preloaded", preloads.toJson());
        NativeHeapTrim trim = heapTrim;
        if (trim != null) {
            json.addProperty("heapTrims", trim.trims());
            json.addProperty("lastHeapTrimMicros", trim.lastTrimMicros());
        }
        return Reply.ok(json);
    }
}
