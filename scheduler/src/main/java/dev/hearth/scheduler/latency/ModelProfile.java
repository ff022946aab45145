package dev.hearth.scheduler.latency;

/**
 * What a model function costs: service time at one core and its parallel fraction, the private model
 * load, the extra time of a first inference, and memory (weights that the tensor store can share, and
 * private working memory). {@link #startMs} and {@link #residentMb} are the cold-start cost per start
 * kind and the memory per container state.
 *
 * <p>Worked example (ResNet-18, private load): cold = 60 + 60 + 650 + 163 + 16 = 949 ms (measured:
 * 650–1130 ms); pre-warmed = 163 + 16 = 179 ms; pre-loaded = 10 + 16 = 26 ms; warm = 0. With the tensor
 * store, the model load is 163 * 5.6 = 913 ms, so cold becomes 1699 ms and pre-warmed 929 ms, while
 * pre-loaded stays 26 ms: pre-loading hides the load.
 */
public record ModelProfile(
        String name,
        double serviceMsAtOneCore,
        double parallelFraction,
        double modelLoadMs,
        double firstInferenceExtraMs,
        double weightsMb,
        double privateMb) {

    /** The delay a request sees before its service starts, for a container found in this state. */
    public double startMs(StartKind kind, boolean tensorStore) {
        double load = tensorStore ? modelLoadMs * Measured.TENSOR_STORE_LOAD_FACTOR : modelLoadMs;
        return switch (kind) {
            case WARM -> 0;
            case PRELOADED -> Measured.PRELOADED_INIT_MS + firstInferenceExtraMs;
            case PREWARMED -> load + firstInferenceExtraMs;
            case COLD ->
                Measured.CONTAINER_START_MS
                        + Measured.RUNTIME_START_MS
                        + Measured.ENGINE_INIT_MS
                        + load
                        + firstInferenceExtraMs;
        };
    }

    /** Time to bring a container up to pre-loaded in the background (nobody waits on it). */
    public double preloadMs(boolean tensorStore) {
        return startMs(StartKind.COLD, tensorStore) - firstInferenceExtraMs;
    }

    /**
     * Memory a container of this model holds, excluding weights when they are shared (the invoker
     * charges shared weights once per machine, see {@link #weightsMb}).
     */
    public double residentMb(boolean sharedWeights) {
        return Measured.RUNTIME_MB + Measured.ENGINE_MB + privateMb + (sharedWeights ? 0 : weightsMb);
    }

    public double serviceMs(double cores) {
        return ServiceTime.cpuMs(serviceMsAtOneCore, parallelFraction, cores);
    }
}
