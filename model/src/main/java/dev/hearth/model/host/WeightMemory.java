package dev.hearth.model.host;

import java.util.List;

/**
 * Where a loaded model's weights live.
 *
 * @param sharing whether the model was loaded with a tensor store (sharing on)
 * @param tensors parameter tensors of the model
 * @param sharedTensors those mapped from the tensor store (copy-on-write, pages shared machine-wide)
 * @param sharedBytes their bytes
 * @param privateBytes bytes of weights in this process's own memory: every weight when sharing is
 *     off, the fallbacks when the store could not take a tensor, all of a TorchScript model (libtorch
 *     copies TorchScript weights into its own memory, so they are never shared)
 * @param storeDigests the SHA-256 of every shared tensor, in parameter order (the files mapped)
 * @param warnings why anything that could have been shared was not (empty when all went well)
 */
public record WeightMemory(
        boolean sharing,
        int tensors,
        int sharedTensors,
        long sharedBytes,
        long privateBytes,
        List<String> storeDigests,
        List<String> warnings) {

    public WeightMemory {
        storeDigests = List.copyOf(storeDigests);
        warnings = List.copyOf(warnings);
    }

    static WeightMemory unshared(boolean sharing, int tensors, long bytes, List<String> warnings) {
        return new WeightMemory(sharing, tensors, 0, 0, bytes, List.of(), warnings);
    }
}
