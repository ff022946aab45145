package dev.hearth.model.host;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** The step-by-step pass: the same numbers as DJL's own, with nothing but the output left on the call. */
class StepwiseForwardTest {

    @Test
    void aResNetGivesBitIdenticalOutputAndLeavesOnlyTheOutputOnTheCallsManager() {
        try (NDManager model = NDManager.newBaseManager()) {
            Shape input = new Shape(1, 3, 64, 64);
            Block resnet = ResNetV1.builder()
                    .setImageShape(new Shape(3, 64, 64))
                    .setNumLayers(18)
                    .setOutSize(10)
                    .build();
            resnet.initialize(model, DataType.FLOAT32, input);

            float[] plain;
            int plainArrays;
            try (NDManager call = model.newSubManager()) {
                NDList out = resnet.forward(new ParameterStore(call, false), new NDList(image(call, input)), false);
                out.attach(call);
                plain = out.singletonOrThrow().toFloatArray();
                plainArrays = call.getManagedArrays().size();
            }
            try (NDManager call = model.newSubManager()) {
                NDList out = StepwiseForward.run(resnet, call, new NDList(image(call, input)));
                assertThat(out.singletonOrThrow().toFloatArray()).containsExactly(plain);
                // the plain pass keeps every activation of the pass on the call until it closes
                assertThat(plainArrays).isGreaterThan(50);
                assertThat(call.getManagedArrays()).containsExactly(out.singletonOrThrow());
            }
        }
    }

    @Test
    void aBlockThatIsNotSequentialRunsAsItIs() {
        try (NDManager model = NDManager.newBaseManager()) {
            Block linear = Linear.builder().setUnits(3).build();
            linear.initialize(model, DataType.FLOAT32, new Shape(1, 4));
            try (NDManager call = model.newSubManager()) {
                NDArray x = call.arange(4f).reshape(1, 4);
                float[] plain = linear.forward(new ParameterStore(call, false), new NDList(x), false)
                        .singletonOrThrow()
                        .toFloatArray();
                NDList out = StepwiseForward.run(linear, call, new NDList(x));
                assertThat(out.singletonOrThrow().toFloatArray()).containsExactly(plain);
                assertThat(out.singletonOrThrow().getManager()).isSameAs(call);
            }
        }
    }

    private static NDArray image(NDManager manager, Shape shape) {
        float[] pixels = new float[(int) shape.size()];
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble(-1, 1);
        }
        return manager.create(pixels, shape);
    }
}
