package dev.hearth.model.arch;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;

/**
 * Makes the DJL {@link Block} a {@code djl-params} bundle's parameters belong to. The built-in
 * architectures implement it; a bundle can bring its own in a jar:
 * {@code "architecture":{"factory":"com.x.MyBlocks","jar":"blocks.jar","args":{...}}}. A factory
 * class needs a public no-argument constructor; it is loaded in a class loader of its own whose
 * parent holds DJL and this interface.
 *
 * <p>{@code args} is the manifest's {@code architecture.args} as plain Java values: whole numbers as
 * {@link Long}, other numbers as {@link Double}, strings, booleans, {@code List} and {@code Map}.
 * Throw {@link IllegalArgumentException} with a message naming the argument when they are wrong.
 */
public interface BlockFactory {

    /** A new, uninitialized block. */
    Block create(Map<String, Object> args);

    /** The shape of one example input, batch dimension included (usually 1): the block is initialized with it. */
    Shape inputShape(Map<String, Object> args);
}
