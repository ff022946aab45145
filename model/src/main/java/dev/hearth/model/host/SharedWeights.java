package dev.hearth.model.host;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.hearth.model.arch.Architecture;
import dev.hearth.model.arch.Architectures;
import dev.hearth.model.bundle.BundleSpec;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.bundle.InvalidBundleException;
import dev.hearth.model.bundle.ParamsTensors;
import dev.hearth.model.bundle.ParamsTensors.RawTensor;
import dev.hearth.model.tensors.TensorIndex;
import dev.hearth.model.tensors.TensorStore;
import dev.hearth.model.tensors.TensorStore.MappedTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileChannel.MapMode;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads a {@code djl-params} model's weights through a {@link TensorStore}:
 * <ol>
 * <li>build the block once to learn its parameters (names, shapes) and drop it;</li>
 * <li>find every parameter's raw bytes in the {@code .params} file ({@link ParamsTensors}, the file
 * mapped read-only, nothing copied) and check names and shapes against the block;</li>
 * <li>build the block again; for each parameter publish its bytes to the store (a no-op when present),
 * map the file copy-on-write and create the NDArray over the mapping ({@code torch::from_blob}, no
 * copy); {@code setArray} on every parameter, then {@code initialize} (after it, {@code setArray}
 * throws).</li>
 * </ol>
 * After a load in which every tensor went to the store, the model's {@link TensorIndex} is stored
 * under the bundle's digest ({@code indexKey}). The next load of that bundle takes the <b>fast
 * path</b>: build the block once, map every tensor the index names ({@link TensorStore#mapPresent}, a
 * {@code stat} per tensor while its stamp matches), {@code setArray} — the model file is neither read
 * nor hashed, no probe block is built, and DJL's {@code initialize} is not called: its only work for a
 * block whose parameters all have arrays is inferring every block's output shape, which runs each
 * lambda block (ReLU, pooling, ...) on a full-size example input (~15–40 ms for ResNet-50), and
 * inference never needs it ({@code forward} initialises only when training). The shapes are the
 * index's, which a full load checked against this same block before writing it. That holds for the
 * built-in architectures (DJL's ResNet and MLP: convolutions, batch norms, dense and lambda blocks,
 * whose forward pass reads nothing {@code initialize} sets; tests compare outputs); a factory jar's
 * blocks may compute in {@code initialize} what their forward pass needs, so they still get it. If any tensor is missing or fails
 * verification, or the block's parameters differ from the index, the fast path gives up (nothing
 * kept) and the full path runs, which rebuilds what is missing.
 *
 * <p>A tensor the store cannot take (full disk, unwritable root) is loaded into private memory with a
 * warning; a file this reader cannot decode, or any failure of the shared attempt, makes the caller
 * fall back to DJL's own private loading ({@link Optional#empty()}, with the reason in the warnings).
 * The mapped buffers must outlive the NDArrays over them: {@link Loaded#keepAlive()} goes to the
 * {@link LoadedModel}.
 */
final class SharedWeights {

    record Loaded(
            Architecture architecture,
            NDManager weights,
            WeightMemory memory,
            List<ByteBuffer> keepAlive,
            List<TensorIndex.Entry> index) {}

    /**
     * {@code -Dhearth.model.index-initialize=true}: the fast path also runs DJL's {@code initialize} (shape
     * inference) as it did before; to compare, in benchmarks.
     */
    static final String INDEX_INITIALIZE = "hearth.model.index-initialize";

    private SharedWeights() {}

    static Optional<Loaded> load(
            TensorStore store,
            BundleSpec spec,
            ExtractedBundle bundle,
            Path modelFile,
            NDManager manager,
            List<String> warnings,
            String indexKey,
            LoadPhases phases)
            throws InvalidBundleException {
        if (indexKey != null) {
            Optional<TensorIndex> index = store.index(indexKey);
            phases.mark("indexMs");
            if (index.isPresent()) {
                Optional<Loaded> fast = fromIndex(store, index.get(), spec, bundle, manager, warnings, phases);
                if (fast.isPresent()) {
                    return fast;
                }
            }
        }
        Optional<Loaded> full = load(store, spec, bundle, modelFile, manager, warnings);
        phases.mark("weightsMs");
        releaseModelFileMapping(); // the mapping was local to load(): unreachable now
        if (indexKey != null && full.isPresent() && full.get().index() != null) {
            try {
                store.writeIndex(indexKey, new TensorIndex(full.get().index()));
            } catch (IOException e) {
                warnings.add(
                        "cannot store the tensor index (" + e.getMessage() + "); the next load reads the model file");
            }
        }
        return full;
    }

    /**
     * The fast path: every tensor from the index, or empty (nothing kept, nothing logged as a warning:
     * a missing tensor is the normal case after the janitor removed it).
     */
    private static Optional<Loaded> fromIndex(
            TensorStore store,
            TensorIndex index,
            BundleSpec spec,
            ExtractedBundle bundle,
            NDManager manager,
            List<String> warnings,
            LoadPhases phases)
            throws InvalidBundleException {
        Architecture architecture = Architectures.build(spec.architecture(), bundle);
        phases.mark("buildMs");
        NDManager weights = manager.newSubManager();
        List<ByteBuffer> keepAlive = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        long sharedBytes = 0;
        int shared = 0;
        try {
            List<Parameter> params = architecture.block().getParameters().values();
            List<TensorIndex.Entry> entries = index.entries();
            if (params.size() != entries.size()) {
                throw new IllegalStateException(
                        "the index has " + entries.size() + " tensors, the block " + params.size());
            }
            for (int i = 0; i < entries.size(); i++) {
                TensorIndex.Entry e = entries.get(i);
                Parameter parameter = params.get(i);
                if (!parameter.getName().equals(e.name())) {
                    throw new IllegalStateException(
                            "parameter " + i + " is " + parameter.getName() + " but the index says " + e.name());
                }
                ByteBuffer buffer;
                if (e.size() == 0) {
                    buffer = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder());
                } else {
                    Optional<MappedTensor> mapped = store.mapPresent(e.sha256(), e.size());
                    if (mapped.isEmpty()) {
                        throw new IllegalStateException("tensor " + e.sha256() + " is not in the store");
                    }
                    buffer = mapped.get().buffer();
                    digests.add(e.sha256());
                    shared++;
                    sharedBytes += e.size();
                }
                keepAlive.add(buffer);
                parameter.setArray(weights.create(buffer, new Shape(e.shape()), DataType.valueOf(e.dataType())));
            }
            // No initialize() for the built-in architectures: every parameter has its array, and its shape
            // is the one a full load checked against this block before it wrote the index. DJL's
            // initialize would only infer the shapes again (running every lambda block on a full-size
            // example); inference never calls it. A factory jar's blocks may keep state from it.
            if (architecture.loader() != null || Boolean.getBoolean(INDEX_INITIALIZE)) {
                architecture.block().initialize(weights, DataType.FLOAT32, architecture.inputShape());
            }
            for (Parameter p : params) {
                p.getArray().setRequiresGradient(false);
            }
            phases.mark("mapMs");
        } catch (IOException | RuntimeException e) {
            weights.close();
            architecture.close();
            return Optional.empty();
        }
        WeightMemory memory = new WeightMemory(true, index.entries().size(), shared, sharedBytes, 0, digests, warnings);
        return Optional.of(new Loaded(architecture, weights, memory, keepAlive, null));
    }

    /** The full path: checks the model file against the block, publishes what is missing. */
    private static Optional<Loaded> load(
            TensorStore store,
            BundleSpec spec,
            ExtractedBundle bundle,
            Path modelFile,
            NDManager manager,
            List<String> warnings)
            throws InvalidBundleException {
        List<String> localNames = new ArrayList<>();
        Map<String, Shape> expected;
        try (Architecture probe = Architectures.build(spec.architecture(), bundle);
                NDManager scratch = manager.newSubManager()) {
            expected = ModelHost.expectedShapes(probe.block(), probe.inputShape(), probe.label(), scratch);
            for (Pair<String, Parameter> p : probe.block().getParameters()) {
                localNames.add(p.getValue().getName());
            }
        }
        try (FileChannel channel = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            return publishAndMap(
                    store,
                    spec,
                    bundle,
                    manager,
                    warnings,
                    expected,
                    channel.map(MapMode.READ_ONLY, 0, channel.size()),
                    localNames);
        } catch (MalformedModelException | IOException e) {
            warnings.add("the tensor store cannot read " + modelFile.getFileName() + " (" + e.getMessage()
                    + "); loading privately");
            return Optional.empty();
        }
    }

    /**
     * Lets go of the model file's mapping now rather than at some later GC: its pages would otherwise
     * stay in this process's resident set (100 MB for ResNet-50) although every tensor now lives in the
     * store or in a private copy. Java unmaps a file only when its buffer is collected, so this asks for
     * a collection; it happens once per bundle and machine (later loads take the index and never map the
     * model file). {@code sun.misc.Unsafe.invokeCleaner} would be immediate but prints JDK 24+
     * deprecation warnings into the first activation's logs.
     */
    private static void releaseModelFileMapping() {
        System.gc();
    }

    private static Optional<Loaded> publishAndMap(
            TensorStore store,
            BundleSpec spec,
            ExtractedBundle bundle,
            NDManager manager,
            List<String> warnings,
            Map<String, Shape> expected,
            ByteBuffer params,
            List<String> localNames)
            throws MalformedModelException, InvalidBundleException {
        List<RawTensor> tensors = ParamsTensors.read(params, localNames);
        List<String> keys = new ArrayList<>(expected.keySet());
        for (int i = 0; i < keys.size(); i++) {
            if (!tensors.get(i).shape().equals(expected.get(keys.get(i)))) {
                warnings.add("parameter " + keys.get(i) + " has shape "
                        + tensors.get(i).shape() + " but the block expects " + expected.get(keys.get(i))
                        + "; loading privately");
                return Optional.empty();
            }
        }
        try {
            return Optional.of(map(store, spec, bundle, manager, tensors, warnings));
        } catch (RuntimeException e) {
            warnings.add("loading through the tensor store failed (" + e + "); loading privately");
            return Optional.empty();
        }
    }

    private static Loaded map(
            TensorStore store,
            BundleSpec spec,
            ExtractedBundle bundle,
            NDManager manager,
            List<RawTensor> tensors,
            List<String> warnings)
            throws InvalidBundleException {
        Architecture architecture = Architectures.build(spec.architecture(), bundle);
        NDManager weights = manager.newSubManager();
        List<ByteBuffer> keepAlive = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        List<TensorIndex.Entry> index = new ArrayList<>();
        int shared = 0;
        long sharedBytes = 0;
        long privateBytes = 0;
        try {
            int i = 0;
            for (Pair<String, Parameter> p : architecture.block().getParameters()) {
                RawTensor t = tensors.get(i++);
                Optional<MappedTensor> mapped =
                        t.data().remaining() == 0 ? Optional.empty() : store.tryMap(t.data(), warnings::add);
                ByteBuffer buffer;
                if (mapped.isPresent()) {
                    buffer = mapped.get().buffer();
                    digests.add(mapped.get().sha256());
                    shared++;
                    sharedBytes += buffer.capacity();
                    index.add(entry(t, mapped.get().sha256()));
                } else {
                    buffer = ByteBuffer.allocateDirect(t.data().remaining()).order(ByteOrder.nativeOrder());
                    buffer.put(t.data().duplicate()).flip();
                    privateBytes += buffer.capacity();
                    if (t.data().remaining() == 0) {
                        index.add(entry(t, TensorStore.sha256(t.data())));
                    } else {
                        index = null; // a tensor the store could not take: no index, the next load tries again
                    }
                }
                keepAlive.add(buffer);
                NDArray array = weights.create(buffer, t.shape(), t.dataType());
                p.getValue().setArray(array);
            }
            architecture.block().initialize(weights, DataType.FLOAT32, architecture.inputShape());
            for (Pair<String, Parameter> p : architecture.block().getParameters()) {
                p.getValue().getArray().setRequiresGradient(false);
            }
        } catch (RuntimeException e) {
            weights.close();
            architecture.close();
            throw e;
        }
        WeightMemory memory =
                new WeightMemory(true, tensors.size(), shared, sharedBytes, privateBytes, digests, warnings);
        return new Loaded(architecture, weights, memory, keepAlive, index);
    }

    private static TensorIndex.Entry entry(RawTensor t, String sha256) {
        return new TensorIndex.Entry(
                t.localName(),
                t.dataType().name(),
                t.shape().getShape(),
                sha256,
                t.data().remaining());
    }
}
