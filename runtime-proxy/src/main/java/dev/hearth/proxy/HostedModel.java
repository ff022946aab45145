package dev.hearth.proxy;

import com.google.gson.JsonObject;

/**
 * A {@code djl:pytorch} action once loaded. An interface so that {@link ActionHost} names no DJL type:
 * the implementation ({@link DjlModel}), DJL and the model host are loaded only when a model action is
 * initialised or {@code /engine} is called, never on the {@code java} path.
 */
interface HostedModel {

    /** The adapter's response to {@code value}, with the {@code X-Hearth-Inference-Ms} header. */
    Reply run(JsonObject value) throws ProxyError;

    /** The {@code timings} object of the {@code /init} response. */
    JsonObject timings();

    /** The {@code weights} object of {@code /stats}: where the model's weights live (shared or private). */
    JsonObject weights();
}
