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
 * A tensor the store cannot take (full disk, unwritable root) is loaded into private memory with a
 * warning; a file this reader cannot decode, or any failure of the shared attempt, makes the caller
 * fall back to DJL's own private loading ({@link Optional#empty()}, with the reason in the warnings).
 * The mapped buffers must outlive the NDArrays over them: {@link Loaded#keepAlive()} goes to the
 * {@link LoadedModel}.
 */
final class SharedWeights {

    record Loaded(Architecture architecture, NDManager weights, WeightMemory memory, List<ByteBuffer> keepAlive) {}

    private SharedWeights() {}

    static Optional<Loaded> load(
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
        List<RawTensor> tensors;
        try (FileChannel channel = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            ByteBuffer params = channel.map(MapMode.READ_ONLY, 0, channel.size());
            tensors = ParamsTensors.read(params, localNames);
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
        } catch (MalformedModelException | IOException e) {
            warnings.add("the tensor store cannot read " + modelFile.getFileName() + " (" + e.getMessage()
                    + "); loading privately");
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
                } else {
                    buffer = ByteBuffer.allocateDirect(t.data().remaining()).order(ByteOrder.nativeOrder());
                    buffer.put(t.data().duplicate()).flip();
                    privateBytes += buffer.capacity();
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
        return new Loaded(architecture, weights, memory, keepAlive);
    }
}
