package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Holds the one action this proxy runs and carries out {@code /init} and {@code /run}. Both are
 * {@code synchronized}: one activation at a time, and init cannot race a run.
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
    private LoadedAction action;
    private volatile HostedModel model; // volatile: /stats reads it without waiting for a run

    private final Path tensorRoot;

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
        long start = System.nanoTime();
        InitRequest init = InitRequest.parse(body);
        JsonObject timings;
        if (init.isModel()) {
            // Only here is DjlModel (and with it DJL) loaded: the java path never touches it.
            model = DjlModel.load(init, tensorRoot);
            timings = model.timings();
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
    }

    /**
     * Runs the action once. Whatever the outcome, including a refused request, the sentinels are written
     * afterwards: every {@code /run} response is followed by exactly one sentinel line per stream.
     */
    synchronized Reply run(JsonObject body) throws ProxyError {
        try {
            if (action == null && model == null) {
                throw new ProxyError(500, "Cannot invoke an uninitialized action.");
            }
            RunRequest run = RunRequest.parse(body);
            if (model != null) {
                exposeContext(run.context());
                stats.ran();
                return model.run(run.value());
            }
            return invoke(action, run);
        } finally {
            logs.endActivation();
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
        return Reply.ok(DjlModel.engine());
    }

    /** What {@code /stats} reports. */
    Reply stats() {
        JsonObject json = stats.toJson(System.nanoTime());
        HostedModel m = model;
        if (m != null) {
            json.add("weights", m.weights());
        }
        return Reply.ok(json);
    }
}
