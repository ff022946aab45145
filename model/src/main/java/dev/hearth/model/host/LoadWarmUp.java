package dev.hearth.model.host;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hearth.model.adapter.Adapters;
import dev.hearth.model.adapter.BadInputException;
import dev.hearth.model.adapter.InputAdapter;
import dev.hearth.model.bundle.BundleSpec;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.bundle.InvalidBundleException;
import dev.hearth.model.bundle.ParamsFile;
import dev.hearth.model.tensors.TensorStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs the store's fast load path ({@link SharedWeights}: bundle, manifest, index, block, a verified
 * mapping and an NDArray per tensor) {@code rounds} times on a throw-away model in a throw-away store,
 * so that a later real load in this process runs compiled code instead of the interpreter.
 *
 * <p>The model is an MLP with {@value #LAYERS} layers of width 1 ({@code 2 x LAYERS} parameters of 4
 * bytes: about as many tensors as ResNet-50's 299, and no memory to speak of). The first load takes the
 * full path (publishes its tensors, which deduplicate to a handful of files, and writes the index); each
 * round after it maps every tensor from the index, as a container does when the machine already holds
 * a model's weights. The store lives under {@code java.io.tmpdir}, never the machine's store (the
 * invoker's janitor and ledger never see it), and is deleted at the end.
 *
 * <p>Then the image adapter runs once on its own example request ({@link #imagePath}): a PNG decoded,
 * scaled, cropped and normalised, as an image classifier's first request does. Its classes (ImageIO's
 * among them) are then loaded in a stem cell, and they are in the proxies' AOT cache, which the invoker's
 * warm-up writes after this {@code /engine}: trained on the engine alone, a cache made new containers'
 * model load and first request slower than the dynamic archive did (session 34, {@code bench/proxy-class-cache}).
 */
final class LoadWarmUp {

    static final int LAYERS = 150;
    private static final String DIGEST = "0".repeat(64);

    private LoadWarmUp() {}

    /** The milliseconds it took: the first (full) load plus {@code rounds} index loads. */
    static long run(int rounds) {
        return run(rounds, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@link #run(int)} with its throw-away files under {@code parent} (deleted at the end). */
    static long run(int rounds, Path parent) {
        long start = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory(parent, "hearth-warm-load-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Path bundle = bundle(dir.resolve("bundle"));
            ModelHost host = new ModelHost(new TensorStore(dir.resolve("store")));
            for (int i = 0; i <= rounds; i++) {
                host.load(bundle, DIGEST).close();
            }
            imagePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidBundleException e) {
            throw new IllegalStateException("the warm-up model cannot be loaded: " + e.getMessage(), e);
        } finally {
            ExtractedBundle.deleteTree(dir); // a few bytes if it fails
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The image adapter of a typical classifier's manifest (224 px from 256, ImageNet's statistics), once. */
    static void imagePath() {
        JsonObject spec = JsonParser.parseString("""
                {"adapter":"image","resize":256,"centerCrop":true,
                 "mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]}""").getAsJsonObject();
        InputAdapter image = Adapters.input(spec, new Shape(1, 3, 224, 224));
        try (NDManager manager = Engines.engine().newBaseManager()) {
            NDList input = image.toInput(manager, image.exampleRequest());
            input.close();
        } catch (BadInputException e) {
            throw new IllegalStateException("the image adapter refused its own example: " + e.getMessage(), e);
        }
    }

    private static Path bundle(Path dir) throws IOException {
        Files.createDirectories(dir);
        int[] hidden = new int[LAYERS - 1];
        Arrays.fill(hidden, 1);
        String manifest = """
                {"format":"djl-params","model":"model.params",
                 "architecture":{"name":"mlp","args":{"input":1,"hidden":%s,"output":1}},
                 "input":{"adapter":"tensors","inputs":[{"name":"x","shape":[-1,1],"dtype":"float32"}]},
                 "output":{"adapter":"tensors","names":["y"]},
                 "memoryMb":256}
                """.formatted(Arrays.toString(hidden));
        Files.writeString(dir.resolve(BundleSpec.MANIFEST), manifest);
        Block block = new Mlp(1, 1, hidden);
        try (NDManager manager = Engines.engine().newBaseManager()) {
            block.setInitializer((m, shape, type) -> m.zeros(shape, type), p -> true);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
            ParamsFile.write(block, "mlp", dir.resolve("model.params"));
        }
        return dir;
    }
}
