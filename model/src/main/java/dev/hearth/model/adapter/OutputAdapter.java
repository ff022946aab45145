package dev.hearth.model.adapter;

import ai.djl.ndarray.NDList;
import com.google.gson.JsonObject;

/** Turns the model's output arrays into the response JSON. Implementations are immutable and thread-safe. */
public sealed interface OutputAdapter permits TensorsOutput, TopKOutput {

    JsonObject toJson(NDList output);

    /**
     * Checks the output of the validation dry run fits this adapter (e.g. as many labels as classes).
     *
     * @throws IllegalArgumentException with a message saying what does not fit
     */
    void check(NDList exampleOutput);
}
