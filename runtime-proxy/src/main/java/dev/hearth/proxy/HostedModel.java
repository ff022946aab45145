package dev.hearth.proxy;

import com.google.gson.JsonObject;

/**
 * A {@code djl:pytorch} model once loaded: bound to the container by {@code /init}, or pre-loaded
 * ({@link Preloads}). An interface so that {@link ActionHost} names no DJL type: the implementation
 * ({@link DjlModel}), DJL and the model host are loaded only when a model is initialised or pre-loaded
 * or {@code /engine} is called, never on the {@code java} path.
 */
interface HostedModel extends AutoCloseable {

    /**
     * The adapter's response to {@code value}, with the {@code X-Hearth-Inference-Ms} header, computed on
     * {@code threads} intra-op threads (the engine's, process-wide; 0: as they are).
     */
    Reply run(JsonObject value, int threads) throws ProxyError;

    /** The engine's intra-op threads now. */
    int intraOpThreads();

    /** Runs one example request through the model, off any caller's path (see {@code LoadedModel.warmUp}); ms. */
    long warmUp() throws ProxyError;

    /** The {@code timings} object of the {@code /init} response. */
    JsonObject timings();

    /** The {@code weights} object of {@code /stats}: where the model's weights live (shared or private). */
    JsonObject weights();

    /** What loading the model took (extracting, building the block, loading or mapping the weights), in ms. */
    long modelLoadMs();

    /** Frees the model's native memory and drops its mapped buffers; idempotent. */
    @Override
    void close();
}
