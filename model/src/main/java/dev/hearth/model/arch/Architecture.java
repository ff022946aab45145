package dev.hearth.model.arch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.net.URLClassLoader;

/**
 * A block built from a manifest's {@code architecture}, not yet initialized.
 *
 * @param label how messages name it: {@code resnet-18}, {@code mlp 784-128-64-10}, the factory class
 * @param inputShape the example input's shape (batch 1)
 * @param loader the class loader of a factory jar, closed with the model; {@code null} for built-ins
 */
public record Architecture(String label, Block block, Shape inputShape, URLClassLoader loader)
        implements AutoCloseable {

    @Override
    public void close() {
        if (loader != null) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
