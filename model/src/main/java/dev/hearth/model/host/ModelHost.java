package dev.hearth.model.host;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import dev.hearth.model.adapter.Adapters;
import dev.hearth.model.adapter.InputAdapter;
import dev.hearth.model.adapter.OutputAdapter;
import dev.hearth.model.arch.Architecture;
import dev.hearth.model.arch.Architectures;
import dev.hearth.model.bundle.BundleSpec;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.bundle.InvalidBundleException;
import dev.hearth.model.bundle.Manifest;
import dev.hearth.model.bundle.ParamsFile;
import dev.hearth.model.tensors.TensorStore;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads {@code djl:pytorch} bundles into memory on DJL's PyTorch engine.
 *
 * <pre>{@code
 * ModelHost host = new ModelHost();
 * EngineStatus engine = host.engine();                 // initialise now (0 ms if already)
 * try (LoadedModel model = host.load(bundleZipOrDir)) {
 *     JsonObject out = model.predict(request);           // throws BadInputException naming the expected shape
 * }
 * }</pre>
 *
 * <p>Loading a {@code djl-params} bundle: extract it, read the manifest, build the block, initialise
 * it with <em>uninitialised</em> arrays (no random numbers, just the shapes the block expects for its
 * example input), then read the {@code .params} file into it and compare every parameter's shape
 * with the expected one. A file for another block fails on a parameter's name, on its end, on bytes
 * left over, or on a shape, and the message says which. TorchScript goes through
 * {@code Criteria...optEngine("PyTorch")}.
 *
 * <p>With a {@link TensorStore} ({@link #ModelHost(TensorStore)}, sharing on) a {@code djl-params}
 * model's weights are mapped copy-on-write from the machine's store instead ({@link SharedWeights});
 * anything that prevents it falls back to the private path with a warning. TorchScript weights are
 * always private (libtorch copies them). {@link LoadedModel#weights()} says which happened.
 */
public final class ModelHost {

    private final TensorStore store;

    /** A host that loads weights into each process's private memory (sharing off). */
    public ModelHost() {
        this(null);
    }

    /**
     * A host that loads {@code djl-params} weights through {@code store} (sharing on), or privately when
     * {@code store} is {@code null}. TorchScript weights are private either way: libtorch copies them.
     */
    public ModelHost(TensorStore store) {
        this.store = store;
    }

    /** Initialises the PyTorch engine if this process has not yet. */
    public EngineStatus engine() {
        return Engines.pytorch();
    }

    /**
     * Runs the Java side of a model load once, on a throw-away ResNet-50 (10 classes, 32x32 input,
     * uninitialised arrays: shapes only, nothing read or computed), so a later load in this process finds
     * DJL's block classes loaded and linked and their code past its first interpretation. For a proxy that
     * initialises its engine ahead of any model (a stem cell). Returns the milliseconds it took.
     */
    public long warmUpBuildPath() {
        Engines.pytorch();
        long start = System.nanoTime();
        JsonObject spec = new JsonObject();
        spec.addProperty("name", "resnet");
        JsonObject args = new JsonObject();
        args.addProperty("layers", 50);
        args.addProperty("classes", 10);
        args.addProperty("imageSize", 32);
        spec.add("args", args);
        try (Architecture probe = Architectures.build(spec, null);
                NDManager scratch = Engines.engine().newBaseManager()) {
            expectedShapes(probe.block(), probe.inputShape(), probe.label(), scratch);
            ByteBuffer one = ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
            scratch.create(one, new Shape(1), DataType.FLOAT32).close(); // the zero-copy create of the store path
        } catch (InvalidBundleException e) {
            throw new IllegalStateException("the built-in ResNet-50 cannot be built: " + e.getMessage(), e);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * Runs a load whose tensors are all in a store (the index fast path) {@code rounds} times, after one
     * full load, on a throw-away model in a throw-away store ({@link LoadWarmUp}), so a later such load
     * in this process runs compiled code. For a stem cell, next to {@link #warmUpBuildPath()}. Returns
     * the milliseconds it took.
     */
    public long warmUpLoadPath(int rounds) {
        Engines.pytorch();
        return LoadWarmUp.run(rounds);
    }

    /** Loads a bundle (zip or extracted directory); the engine is initialised first if need be. */
    public LoadedModel load(Path bundleZipOrDir) throws InvalidBundleException {
        return load(bundleZipOrDir, null);
    }

    /**
     * {@link #load(Path)}, with the bundle's SHA-256 ({@code bundleDigest}, may be null) as the key of
     * its tensor index in the store: with sharing on, the second and later loads of the same bundle on
     * a machine map every weight from the index without reading the model file.
     */
    public LoadedModel load(Path bundleZipOrDir, String bundleDigest) throws InvalidBundleException {
        long engineInitMs = Engines.pytorch().initMs();
        long start = System.nanoTime();
        LoadPhases phases = new LoadPhases();
        ExtractedBundle bundle = ExtractedBundle.open(bundleZipOrDir);
        NDManager manager = null;
        Architecture architecture = null;
        ZooModel<NDList, NDList> zoo = null;
        List<ByteBuffer> keepAlive = List.of();
        List<String> warnings = new ArrayList<>();
        WeightMemory weights;
        try {
            BundleSpec spec = BundleSpec.read(bundle);
            Path modelFile = bundle.file("model file", spec.model());
            List<String> labels = spec.labels() == null ? null : labels(bundle.file("labels file", spec.labels()));
            String inputName = adapterName(spec, "input", Adapters.INPUTS);
            String outputName = adapterName(spec, "output", Adapters.OUTPUTS);
            phases.mark("bundleMs");
            Block block;
            Shape example = null;
            String label;
            if (BundleSpec.DJL_PARAMS.equals(spec.format())) {
                manager = Engines.engine().newBaseManager();
                Optional<SharedWeights.Loaded> shared = store == null
                        ? Optional.empty()
                        : SharedWeights.load(store, spec, bundle, modelFile, manager, warnings, bundleDigest, phases);
                if (shared.isPresent()) {
                    architecture = shared.get().architecture();
                    keepAlive = shared.get().keepAlive();
                    weights = shared.get().memory();
                    for (String w : warnings) {
                        LOG.log(System.Logger.Level.WARNING, w);
                    }
                } else {
                    for (String w : warnings) {
                        LOG.log(System.Logger.Level.WARNING, w);
                    }
                    architecture = Architectures.build(spec.architecture(), bundle);
                    phases.mark("buildMs");
                    loadParameters(
                            architecture.block(),
                            architecture.inputShape(),
                            modelFile,
                            spec.model(),
                            architecture.label(),
                            manager);
                    weights = privateWeights(architecture.block(), store != null, warnings);
                    phases.mark("weightsMs");
                }
                block = architecture.block();
                example = architecture.inputShape();
                label = architecture.label();
            } else {
                label = "torchscript";
                zoo = torchScript(modelFile, spec.model());
                block = zoo.getBlock();
                manager = zoo.getNDManager();
                warnings.add(TORCHSCRIPT_PRIVATE);
                weights = privateWeights(block, store != null, warnings);
                phases.mark("weightsMs");
            }
            InputAdapter input;
            OutputAdapter output;
            try {
                input = Adapters.input(spec.input(), example);
                output = Adapters.output(spec.output(), labels);
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
                throw new InvalidBundleException(e.getMessage(), e);
            }
            int memoryMb = spec.memoryMb() > 0 ? spec.memoryMb() : defaultMemoryMb(modelFile);
            Manifest manifest = new Manifest(spec.format(), label, inputName, outputName, memoryMb);
            phases.mark("adaptersMs");
            long loadMs = (System.nanoTime() - start) / 1_000_000;
            return new LoadedModel(
                    manifest,
                    manager,
                    block,
                    input,
                    output,
                    engineInitMs,
                    loadMs,
                    architecture,
                    zoo,
                    bundle,
                    weights,
                    keepAlive,
                    phases.asMap());
        } catch (InvalidBundleException | RuntimeException | Error e) {
            if (zoo != null) {
                zoo.close();
            }
            if (manager != null) {
                manager.close();
            }
            if (architecture != null) {
                architecture.close();
            }
            bundle.close();
            throw e;
        }
    }

    /** Why a TorchScript model's weights are never in the tensor store. */
    public static final String TORCHSCRIPT_PRIVATE =
            "TorchScript weights are private: libtorch copies them into its own memory when it loads the .pt file";

    private static final System.Logger LOG = System.getLogger(ModelHost.class.getName());

    private static WeightMemory privateWeights(Block block, boolean sharing, List<String> warnings) {
        int tensors = 0;
        long bytes = 0;
        try {
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                tensors++;
                bytes += array.size() * array.getDataType().getNumOfBytes();
            }
        } catch (RuntimeException e) {
            // a TorchScript block may not list its parameters: report what was counted
        }
        return WeightMemory.unshared(sharing, tensors, bytes, warnings);
    }

    /** 256 MB plus three times the model file, rounded up to 64 MB: weights, one copy in flight, activations. */
    static int defaultMemoryMb(Path modelFile) {
        long mb;
        try {
            mb = (Files.size(modelFile) + (1 << 20) - 1) >> 20;
        } catch (IOException e) {
            mb = 0;
        }
        long need = 256 + 3 * mb;
        return (int) Math.min(Integer.MAX_VALUE, (need + 63) / 64 * 64);
    }

    private static String adapterName(BundleSpec spec, String side, List<String> known) throws InvalidBundleException {
        try {
            return Adapters.name("input".equals(side) ? spec.input() : spec.output(), side, known);
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
    }

    private static List<String> labels(Path file) throws InvalidBundleException {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
                lines.remove(lines.size() - 1);
            }
            return lines;
        } catch (IOException e) {
            throw new InvalidBundleException(
                    "cannot read the labels file " + file.getFileName() + " as UTF-8 text: " + e.getMessage(), e);
        }
    }

    private static void loadParameters(
            Block block, Shape example, Path file, String fileName, String label, NDManager manager)
            throws InvalidBundleException {
        String mismatch = "parameters in " + fileName + " do not match a " + label + " block: ";
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, Shape> expected = expectedShapes(block, example, label, scratch);
            try {
                ParamsFile.read(file, block, manager);
            } catch (EOFException e) {
                throw new InvalidBundleException(
                        mismatch + "the file ends before the block has all its " + expected.size()
                                + " parameters (truncated, or made for a bigger block)",
                        e);
            } catch (MalformedModelException e) {
                throw new InvalidBundleException(mismatch + e.getMessage(), e);
            } catch (IOException e) {
                throw new InvalidBundleException("cannot read " + fileName + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new InvalidBundleException(
                        mismatch + "the file is not readable as DJL parameters (" + e + ")", e);
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                Shape want = expected.get(p.getKey());
                Shape got = p.getValue().getArray().getShape();
                if (!got.equals(want)) {
                    throw new InvalidBundleException(mismatch + "parameter " + p.getKey() + " has shape " + got
                            + " in the file but the block expects " + want);
                }
                p.getValue().getArray().setRequiresGradient(false);
            }
        }
    }

    /**
     * Every parameter's shape, in order, learnt by initialising {@code block} with <em>uninitialised</em>
     * arrays in {@code scratch} (no random numbers). The block's parameters then hold those arrays.
     */
    static Map<String, Shape> expectedShapes(Block block, Shape example, String label, NDManager scratch)
            throws InvalidBundleException {
        Map<String, Shape> expected = new LinkedHashMap<>();
        try {
            block.setInitializer((m, shape, type) -> m.create(shape, type), p -> true);
            block.initialize(scratch, DataType.FLOAT32, example);
        } catch (RuntimeException e) {
            throw new InvalidBundleException(
                    "architecture " + label + " cannot be built for input " + example + ": " + e.getMessage(), e);
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            expected.put(p.getKey(), p.getValue().getShape());
        }
        return expected;
    }

    private static ZooModel<NDList, NDList> torchScript(Path file, String fileName) throws InvalidBundleException {
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(file)
                .optEngine(Engines.PYTORCH)
                .optTranslator(new NoopTranslator())
                .build();
        try {
            return criteria.loadModel();
        } catch (Exception e) {
            throw new InvalidBundleException(
                    "cannot load " + fileName + " as a TorchScript model: " + e.getMessage(), e);
        }
    }
}
