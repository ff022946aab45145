package dev.hearth.proxy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hearth.model.adapter.BadInputException;
import dev.hearth.model.bundle.InvalidBundleException;
import dev.hearth.model.host.EngineStatus;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.model.host.Prediction;
import dev.hearth.model.host.WeightMemory;
import dev.hearth.model.tensors.TensorStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code djl:pytorch} kind: the bundle zip from {@code codePath} (or base64 {@code code}) loaded with
 * the {@link ModelHost}, the engine initialised eagerly at {@code /init}. The only class of the proxy
 * that touches {@code dev.hearth.model} (and so DJL); see {@link HostedModel}.
 */
final class DjlModel implements HostedModel {

    static final String INFERENCE_HEADER = "X-Hearth-Inference-Ms";

    /**
     * {@code -Dhearth.proxy.warm-build=false}: {@code /engine} does not also run the model-building path
     * once ({@link ModelHost#warmUpBuildPath}); to compare, in benchmarks.
     */
    static final String WARM_BUILD = "hearth.proxy.warm-build";

    /**
     * {@code -Dhearth.proxy.warm-load-rounds=n} (default {@value #WARM_LOAD_ROUNDS_DEFAULT}): how many times
     * the first {@code /engine} also runs a load whose tensors are all in a store, on a throw-away model
     * ({@link ModelHost#warmUpLoadPath}), so the stem cell's real load runs compiled code; 0 turns it off.
     */
    static final String WARM_LOAD_ROUNDS = "hearth.proxy.warm-load-rounds";

    static final int WARM_LOAD_ROUNDS_DEFAULT = 10;

    private final LoadedModel model;

    private DjlModel(LoadedModel model) {
        this.model = model;
    }

    /**
     * Loads the bundle; through the tensor store at {@code tensorRoot} (weights shared machine-wide,
     * mapped copy-on-write) when it is not {@code null}, else into this process's private memory.
     */
    static HostedModel load(InitRequest init, Path tensorRoot) throws ProxyError {
        return load(init.code(), init.codePath(), init.digest(), tensorRoot);
    }

    /** {@code /preload}: the bundle at {@code codePath} loaded exactly as {@code /init} would load it. */
    static HostedModel load(PreloadRequest preload, Path tensorRoot) throws ProxyError {
        return load(null, preload.codePath(), preload.digest(), tensorRoot);
    }

    private static HostedModel load(String code, String codePath, String digest, Path tensorRoot) throws ProxyError {
        boolean decoded = codePath == null || codePath.isEmpty();
        Path bundle = decoded ? decode(code) : existing(codePath);
        try {
            ModelHost host = tensorRoot == null ? new ModelHost() : new ModelHost(new TensorStore(tensorRoot));
            return new DjlModel(host.load(bundle, decoded ? null : digest));
        } catch (InvalidBundleException e) {
            throw ProxyError.badAction("The model bundle is invalid: " + e.getMessage(), e);
        } finally {
            if (decoded) {
                try {
                    Files.deleteIfExists(bundle);
                } catch (IOException ignored) {
                    // deleteOnExit is registered
                }
            }
        }
    }

    /** {@code POST /engine}: the PyTorch engine, initialised now if it was not. */
    static JsonObject engine() {
        ModelHost host = new ModelHost();
        EngineStatus status = host.engine();
        JsonObject json = new JsonObject();
        json.addProperty("engine", status.name());
        json.addProperty("version", status.version());
        json.addProperty("engineInitMs", status.initMs());
        if (status.initMs() > 0 && !"false".equals(System.getProperty(WARM_BUILD))) {
            json.addProperty("buildWarmUpMs", host.warmUpBuildPath());
        }
        int rounds = Integer.getInteger(WARM_LOAD_ROUNDS, WARM_LOAD_ROUNDS_DEFAULT);
        if (status.initMs() > 0 && rounds > 0) {
            try {
                json.addProperty("loadWarmUpMs", host.warmUpLoadPath(rounds));
            } catch (RuntimeException e) {
                // e.g. no writable temporary directory: the stem cell works, its first load is just slower
                json.addProperty("loadWarmUpError", e.toString());
            }
        }
        return json;
    }

    @Override
    public JsonObject timings() {
        JsonObject timings = new JsonObject();
        timings.addProperty("engineInitMs", model.engineInitMs());
        timings.addProperty("modelLoadMs", model.modelLoadMs());
        JsonObject phases = new JsonObject();
        model.loadPhases().forEach(phases::addProperty);
        timings.add("loadPhases", phases);
        return timings;
    }

    /**
     * The {@code weights} object of {@code /stats}: {@code sharing}, {@code tensors}, {@code sharedTensors},
     * {@code sharedBytes} (mapped from the tensor store), {@code privateBytes}, {@code storeDigests} (the
     * store files it maps: the invoker's references), {@code warnings} (e.g. the store was full, or
     * TorchScript weights are private). Also part of the {@code /init} answer.
     */
    @Override
    public JsonObject weights() {
        WeightMemory w = model.weights();
        JsonObject json = new JsonObject();
        json.addProperty("sharing", w.sharing());
        json.addProperty("tensors", w.tensors());
        json.addProperty("sharedTensors", w.sharedTensors());
        json.addProperty("sharedBytes", w.sharedBytes());
        json.addProperty("privateBytes", w.privateBytes());
        JsonArray digests = new JsonArray();
        for (String digest : w.storeDigests()) {
            digests.add(digest);
        }
        json.add("storeDigests", digests);
        JsonArray warnings = new JsonArray();
        for (String warning : w.warnings()) {
            warnings.add(warning);
        }
        json.add("warnings", warnings);
        return json;
    }

    @Override
    public long warmUp() throws ProxyError {
        try {
            return model.warmUp();
        } catch (BadInputException | RuntimeException e) {
            throw new ProxyError(500, "The model fails on its own example input: " + e.getMessage());
        }
    }

    @Override
    public int intraOpThreads() {
        return LoadedModel.intraOpThreads();
    }

    @Override
    public long modelLoadMs() {
        return model.modelLoadMs();
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public Reply run(JsonObject value, int threads) throws ProxyError {
        Prediction p;
        try {
            p = model.infer(value, threads);
        } catch (BadInputException e) {
            throw ProxyError.badAction(e.getMessage(), e);
        }
        return new Reply(
                200, p.output(), Map.of(INFERENCE_HEADER, String.format(Locale.ROOT, "%.3f", p.inferenceMs())));
    }

    private static Path existing(String codePath) throws ProxyError {
        Path path = Path.of(codePath);
        if (!path.isAbsolute()) {
            throw ProxyError.badAction("The model's codePath must be an absolute path: " + codePath);
        }
        if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw ProxyError.badAction("The model's codePath is not a readable bundle: " + codePath);
        }
        return path;
    }

    private static Path decode(String code) throws ProxyError {
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(code);
        } catch (IllegalArgumentException e) {
            throw ProxyError.badAction(
                    "The model's code is not valid base64 (a djl:pytorch action's code is a base64-encoded bundle zip): "
                            + e.getMessage());
        }
        try {
            Path zip = Files.createTempFile("hearth-model-", ".zip");
            zip.toFile().deleteOnExit();
            Files.write(zip, bytes);
            return zip;
        } catch (IOException e) {
            throw new ProxyError(500, "Cannot write the model bundle to a temporary file: " + e.getMessage(), e);
        }
    }
}
