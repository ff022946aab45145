package dev.hearth.model.host;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import dev.hearth.model.adapter.BadInputException;
import dev.hearth.model.adapter.InputAdapter;
import dev.hearth.model.adapter.OutputAdapter;
import dev.hearth.model.arch.Architecture;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.bundle.InvalidBundleException;
import dev.hearth.model.bundle.Manifest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * A model in memory, ready to predict. Every prediction works in its own sub-manager of the model's
 * {@link NDManager}, closed when the prediction ends, so no native memory outlives a call; the weights
 * live in the model's manager until {@link #close()}. Predictions may run concurrently.
 */
public final class LoadedModel implements AutoCloseable {

    private final Manifest manifest;
    private final NDManager manager;
    private final Block block;
    private final InputAdapter input;
    private final OutputAdapter output;
    private final long engineInitMs;
    private final long modelLoadMs;
    private final AutoCloseable[] resources;
    private final WeightMemory weights;
    private final Map<String, Double> loadPhases;
    /** The mappings (and private buffers) under the weights' NDArrays: they must not be unmapped before close. */
    private volatile List<ByteBuffer> keepAlive;

    private volatile double lastInferenceMs = Double.NaN;

    LoadedModel(
            Manifest manifest,
            NDManager manager,
            Block block,
            InputAdapter input,
            OutputAdapter output,
            long engineInitMs,
            long modelLoadMs,
            Architecture architecture,
            ZooModel<?, ?> zooModel,
            ExtractedBundle bundle,
            WeightMemory weights,
            List<ByteBuffer> keepAlive,
            Map<String, Double> loadPhases) {
        this.weights = weights;
        this.loadPhases = loadPhases;
        this.keepAlive = keepAlive;
        this.manifest = manifest;
        this.manager = manager;
        this.block = block;
        this.input = input;
        this.output = output;
        this.engineInitMs = engineInitMs;
        this.modelLoadMs = modelLoadMs;
        this.resources = new AutoCloseable[] {zooModel, manager, architecture, bundle};
    }

    public Manifest manifest() {
        return manifest;
    }

    /** How requests become the model's input. */
    public InputAdapter input() {
        return input;
    }

    /** What loading this model spent initialising the engine: 0 when it was already initialised. */
    public long engineInitMs() {
        return engineInitMs;
    }

    /** Extracting the bundle, building the block and loading its parameters, in milliseconds. */
    public long modelLoadMs() {
        return modelLoadMs;
    }

    /**
     * Where {@link #modelLoadMs()} went, in the order the phases ran (milliseconds): {@code bundleMs}
     * (open the bundle, read its manifest), then with sharing and an index {@code indexMs} (read and
     * check it), {@code buildMs} (the block), {@code mapMs} (verify and map every tensor, create the
     * arrays over the mappings); otherwise the full path's phases ({@code buildMs}, {@code weightsMs}).
     */
    public Map<String, Double> loadPhases() {
        return loadPhases;
    }

    /** Where the weights live: shared from the tensor store or private, with counts and bytes. */
    public WeightMemory weights() {
        return weights;
    }

    /** The block (for tests in this package). */
    Block block() {
        return block;
    }

    /** The input adapter's description of what the model takes. */
    public String describeInput() {
        return input.describe();
    }

    /** The forward pass of the most recent prediction, in milliseconds ({@code NaN} before the first). */
    public double lastInferenceMs() {
        return lastInferenceMs;
    }

    /** The adapter's response for {@code request}; see {@link #infer} for the timing too. */
    public JsonObject predict(JsonObject request) throws BadInputException {
        return infer(request).output();
    }

    /**
     * {@link #infer(JsonObject)} on {@code threads} intra-op threads ({@code threads < 1}: the count as it
     * is). The count is the engine's, so it holds for the whole process from then on; a runtime that splits
     * the cores between processes names it on every request.
     */
    public Prediction infer(JsonObject request, int threads) throws BadInputException {
        if (threads > 0) {
            Engines.intraOpThreads(threads);
        }
        return infer(request);
    }

    /** The engine's intra-op threads now: what the next request computes on unless it names others. */
    public static int intraOpThreads() {
        return Engines.intraOpThreads();
    }

    /** The adapter's response for {@code request} and the forward pass's duration. */
    public Prediction infer(JsonObject request) throws BadInputException {
        try (NDManager call = manager.newSubManager()) {
            NDList in = input.toInput(call, request);
            long start = System.nanoTime();
            NDList out = forward(call, in);
            double ms = (System.nanoTime() - start) / 1e6;
            lastInferenceMs = ms;
            return new Prediction(output.toJson(out), ms);
        }
    }

    private NDList forward(NDManager call, NDList in) throws BadInputException {
        try {
            return StepwiseForward.run(block, call, in);
        } catch (ai.djl.engine.EngineException | IllegalArgumentException | IllegalStateException e) {
            throw new BadInputException(
                    "the model failed on this input (" + e.getMessage() + "); it takes " + input.describe(), e);
        }
    }

    /**
     * Runs one request through the whole path before any caller does: the input adapter's example
     * request when it makes one (an image: decoding and pre-processing too), else zeros, then the forward
     * pass and the output adapter. A model's first forward pass is slow (libtorch's allocations and
     * kernels, the mapped weights' first page faults, the adapters' first Java run): ResNet-50 in a fresh
     * container, measured alone, ~200 ms for the first request against 50–110 ms warm, and ~140 ms for
     * the first after a warmed-up pre-load. A pre-load runs this so the function it is bound to does not
     * pay it. Returns the milliseconds it took.
     */
    public long warmUp() throws BadInputException {
        long t0 = System.nanoTime();
        JsonObject example = input.exampleRequest();
        try (NDManager call = manager.newSubManager()) {
            NDList in = example == null ? input.example(call) : input.toInput(call, example);
            output.toJson(forward(call, in));
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /**
     * Runs the model once on zeros of the expected input and checks the output adapter fits what comes
     * out: the validator's last step, and a warm-up.
     */
    public void selfTest() throws InvalidBundleException {
        try (NDManager call = manager.newSubManager()) {
            NDList out;
            try {
                out = StepwiseForward.run(block, call, input.example(call));
            } catch (RuntimeException e) {
                throw new InvalidBundleException(
                        "the " + manifest.architecture() + " model fails on an example input (" + input.describe()
                                + "): " + e.getMessage(),
                        e);
            }
            try {
                output.check(out);
            } catch (IllegalArgumentException e) {
                throw new InvalidBundleException(e.getMessage(), e);
            }
        }
    }

    /** Frees the weights (native memory), the factory jar's class loader and any extracted files. */
    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception ignored) {
                    // keep closing the rest
                }
            }
        }
        keepAlive = List.of(); // the NDArrays over the mappings are gone: the mappings may be unmapped
    }
}
