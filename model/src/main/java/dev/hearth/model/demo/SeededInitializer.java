package dev.hearth.model.demo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.SplittableRandom;

/**
 * Gaussian values from Java's {@link SplittableRandom}, so the same seed gives the same bytes on every
 * machine and thread count (libtorch's generators promise less). Standard deviation
 * {@code gain / sqrt(fanIn)}, fan-in being all dimensions but the first; {@code gain 1} keeps a deep
 * random ResNet's activations in range.
 */
record SeededInitializer(long seed, double gain) implements Initializer {

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        long size = shape.size();
        long fanIn = shape.dimension() > 1 ? size / shape.get(0) : size;
        double std = gain / Math.sqrt(Math.max(1, fanIn));
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(size)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, shape).toType(dataType, false);
    }
}
