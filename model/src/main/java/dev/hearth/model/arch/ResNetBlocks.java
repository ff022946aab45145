package dev.hearth.model.arch;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;

/**
 * {@code resnet}: DJL's ResNet v1. Args: {@code layers} (18, 34 or 50), {@code classes} (default 1000),
 * {@code imageSize} (default 224, at least 32). Input {@code [N, 3, imageSize, imageSize]}, float32.
 */
final class ResNetBlocks implements BlockFactory {

    static final String NAME = "resnet";

    @Override
    public Block create(Map<String, Object> args) {
        int size = imageSize(args);
        return ResNetV1.builder()
                .setImageShape(new Shape(3, size, size))
                .setNumLayers(layers(args))
                .setOutSize(Args.positiveInt(NAME, args, "classes", 1000))
                .build();
    }

    @Override
    public Shape inputShape(Map<String, Object> args) {
        int size = imageSize(args);
        return new Shape(1, 3, size, size);
    }

    static int layers(Map<String, Object> args) {
        Object v = args.get("layers");
        if (!(v instanceof Long l) || (l != 18 && l != 34 && l != 50)) {
            throw new IllegalArgumentException("architecture 'resnet' needs layers 18, 34 or 50, got " + v);
        }
        return (int) (long) l;
    }

    private static int imageSize(Map<String, Object> args) {
        int size = Args.positiveInt(NAME, args, "imageSize", 224);
        if (size < 32) {
            throw new IllegalArgumentException("architecture 'resnet' needs imageSize of at least 32, got " + size);
        }
        return size;
    }
}
