package dev.hearth.model.host;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;

/**
 * An inference forward pass that frees each step's intermediate arrays as soon as the next step has its
 * input. DJL attaches every array an operation makes to the manager of its input, so a plain
 * {@code block.forward} keeps all of a pass's activations alive until the call's manager closes: a
 * ResNet-50 pass on one 224x224 image holds ~110 MB of them at its end. Here a {@link SequentialBlock}
 * (DJL's ResNet and our MLP are one at the top) runs child by child, each in a sub-manager of the call
 * that owns the child's input and everything made from it; the child's outputs move to the call's
 * manager and the sub-manager closes, freeing the input and the child's intermediates. Peak memory is
 * then one child's working set (a ResNet-50 residual unit: a few MB), which matters twice: a container
 * keeps less memory between calls, and on a virtual machine where every newly touched page costs a
 * trap to the host (~12 µs a 4 KB page on this project's machines) the first pass after the idle C-heap
 * trim touches a quarter of the pages. Other blocks (TorchScript, a factory's own) run as they are.
 *
 * <p>The arithmetic is the same operations in the same order: outputs are bit-identical to
 * {@code block.forward}.
 */
final class StepwiseForward {
    private StepwiseForward() {}

    /** {@code block} on {@code in}, without training; the result is attached to {@code call}. */
    static NDList run(Block block, NDManager call, NDList in) {
        ParameterStore parameters = new ParameterStore(call, false);
        if (!(block instanceof SequentialBlock sequential)
                || sequential.getChildren().isEmpty()
                || sequential.isReturnIntermediate()) {
            NDList out = block.forward(parameters, in, false);
            out.attach(call);
            return out;
        }
        NDList current = in;
        for (Block child : sequential.getChildren().values()) {
            try (NDManager step = call.newSubManager()) {
                current.attach(step);
                NDList next = child.forward(parameters, current, false);
                next.attach(call); // before the step closes: a child may hand back its input itself
                current = next;
            }
        }
        return current;
    }
}
