package dev.hearth.invoker.tensors;

import ai.djl.MalformedModelException;
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
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a model bundle's weights into the machine's {@link TensorStore} on behalf of containers that may
 * only read the store (Docker containers see it on a read-only bind mount, so no function can write,
 * replace or delete a file others map). Called before a container's {@code /init} or {@code /preload}
 * of the bundle; the proxy then finds the bundle's index and every tensor present and only maps them.
 *
 * <h2>Algorithm</h2>
 * <ol>
 * <li>If the store has the bundle's index (keyed by the bundle's digest) and every tensor it names is
 *     present and verified ({@link TensorStore#present}: a {@code stat} while the file's stamp matches),
 *     nothing is done. A file another user cannot read (made by an older invoker with
 *     {@code rw-------}) is made {@code rw-r--r--} and hashed again.</li>
 * <li>Otherwise the bundle's block is built (shapes only, no engine: blocks make their parameters
 *     without NDArrays) to learn its parameters' names in save order; {@link ParamsTensors} finds each
 *     one's bytes in the {@code .params} file (mapped read-only, nothing copied); each is published as the
 *     store publishes (temporary file, fsync, {@code link(2)}, verified), then the index is written —
 *     the same index the proxy's own full load would write.</li>
 * </ol>
 * One bundle is published by one thread at a time (a lock per digest); concurrent publishers of the
 * same tensor in other processes are safe by the store's design.
 *
 * <p>Not published (the container then loads those weights privately, with the proxy's warning, and
 * the activation does not fail): TorchScript bundles (libtorch copies their weights), bundles whose
 * architecture is a {@code factory} class from the bundle's jar (that is the function's own code,
 * which the invoker never runs), and any bundle the store cannot take (a full tmpfs). The parameters'
 * shapes are not checked against the block here (that needs the engine): the controller's
 * {@code BundleValidator} loaded the weights into the block when the bundle was deployed, and an index is
 * keyed by its bundle, so a wrong one could only affect that bundle's own containers.
 */
public final class BundlePublisher {
    private static final Logger log = LoggerFactory.getLogger(BundlePublisher.class);

    /** What a call did: {@code PRESENT} (nothing to do), {@code PUBLISHED}, or {@code SKIPPED} (why in {@code reason}). */
    public enum Outcome {
        PRESENT,
        PUBLISHED,
        SKIPPED
    }

    /** @param tensors the bundle's non-empty tensors; @param bytes their size */
    public record Result(Outcome outcome, int tensors, long bytes, String reason) {}

    private final TensorStore store;
    private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

    public BundlePublisher(TensorStore store) {
        this.store = store;
    }

    public TensorStore store() {
        return store;
    }

    /** Makes sure the store holds the weights of the bundle extracted at {@code bundle} (zip or directory). */
    public Result publish(Path bundle, String digest) {
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            return skipped("no bundle digest to key the index by");
        }
        synchronized (locks.computeIfAbsent(digest, d -> new Object())) {
            try {
                Optional<TensorIndex> index = store.index(digest);
                if (index.isPresent() && allPresent(index.get())) {
                    return new Result(
                            Outcome.PRESENT, count(index.get()), index.get().bytes(), null);
                }
                return publishFrom(bundle, digest);
            } catch (IOException | InvalidBundleException | MalformedModelException | RuntimeException e) {
                log.warn("cannot publish the tensors of bundle {}: {}", digest, e.toString());
                return skipped(e.toString());
            }
        }
    }

    private boolean allPresent(TensorIndex index) throws IOException {
        for (TensorIndex.Entry e : index.entries()) {
            if (e.size() == 0) {
                continue;
            }
            if (!store.present(e.sha256(), e.size())) {
                return false;
            }
            Path file = store.file(e.sha256());
            try {
                if (!Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
                    if (!store.scrub(e.sha256())) { // the chmod changed its change time: stamp it again
                        return false;
                    }
                }
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
        return true;
    }

    private Result publishFrom(Path bundlePath, String digest)
            throws IOException, InvalidBundleException, MalformedModelException {
        try (ExtractedBundle bundle = ExtractedBundle.open(bundlePath)) {
            BundleSpec spec = BundleSpec.read(bundle);
            if (!BundleSpec.DJL_PARAMS.equals(spec.format())) {
                return skipped("a " + spec.format() + " bundle's weights are private (libtorch copies them)");
            }
            if (spec.architecture().has("factory")) {
                return skipped("the architecture is the bundle's own factory class, which the invoker does not run");
            }
            List<String> names = new ArrayList<>();
            try (Architecture probe = Architectures.build(spec.architecture(), bundle)) {
                for (Pair<String, Parameter> p : probe.block().getParameters()) {
                    names.add(p.getValue().getName());
                }
            }
            Path modelFile = bundle.file("model file", spec.model());
            List<TensorIndex.Entry> entries = new ArrayList<>();
            long bytes = 0;
            int tensors = 0;
            try (FileChannel channel = FileChannel.open(modelFile, StandardOpenOption.READ)) {
                List<RawTensor> raw =
                        ParamsTensors.read(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()), names);
                for (RawTensor t : raw) {
                    String sha = TensorStore.sha256(t.data());
                    long size = t.data().remaining();
                    if (size > 0) {
                        store.publish(sha, t.data());
                        bytes += size;
                        tensors++;
                    }
                    entries.add(new TensorIndex.Entry(
                            t.localName(), t.dataType().name(), t.shape().getShape(), sha, size));
                }
            }
            store.writeIndex(digest, new TensorIndex(entries));
            log.info("published {} tensors ({} bytes) of bundle {}", tensors, bytes, digest);
            return new Result(Outcome.PUBLISHED, tensors, bytes, null);
        }
    }

    private static int count(TensorIndex index) {
        return (int) index.entries().stream().filter(e -> e.size() > 0).count();
    }

    private static Result skipped(String why) {
        return new Result(Outcome.SKIPPED, 0, 0, why);
    }
}
