package dev.hearth.model.adapter;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;

/** Turns a request's JSON into the model's input arrays. Implementations are immutable and thread-safe. */
public sealed interface InputAdapter permits TensorsInput, ImageInput {

    /** The input arrays for {@code request}, created in {@code manager} (a per-request manager). */
    NDList toInput(NDManager manager, JsonObject request) throws BadInputException;

    /** Zeros of the expected shapes (batch 1), for the dry run that validates a bundle. */
    NDList example(NDManager manager);

    /**
     * A request like a caller's, to run the whole path once before the first real one (decoding and
     * pre-processing included), or {@code null} when zeros from {@link #example} are as good.
     */
    default JsonObject exampleRequest() {
        return null;
    }

    /** What the model takes, in words, e.g. {@code 'x' [-1,784] (float32)}. */
    String describe();
}
