package dev.hearth.model.arch;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;

/** {@code mlp}: DJL's multi-layer perceptron. Args: {@code input}, {@code hidden} (list), {@code output}. Input {@code [N, input]}. */
final class MlpBlocks implements BlockFactory {

    static final String NAME = "mlp";

    @Override
    public Block create(Map<String, Object> args) {
        return new Mlp(
                Args.positiveInt(NAME, args, "input", null),
                Args.positiveInt(NAME, args, "output", null),
                Args.positiveInts(NAME, args, "hidden"));
    }

    @Override
    public Shape inputShape(Map<String, Object> args) {
        return new Shape(1, Args.positiveInt(NAME, args, "input", null));
    }

    static String label(Map<String, Object> args) {
        StringBuilder b = new StringBuilder("mlp ").append(args.get("input"));
        for (int h : Args.positiveInts(NAME, args, "hidden")) {
            b.append('-').append(h);
        }
        return b.append('-').append(args.get("output")).toString();
    }
}
