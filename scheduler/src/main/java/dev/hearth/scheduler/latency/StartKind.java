package dev.hearth.scheduler.latency;

/**
 * How a request found its container (the {@code startKind} of an activation event), from cheapest to
 * dearest: a warm container of the function; a pre-loaded one (runtime, engine and this model already
 * in memory, only {@code /init} left); a pre-warmed one (runtime and engine up, model still to load);
 * a cold one (container, runtime, engine and model from scratch).
 */
public enum StartKind {
    WARM,
    PRELOADED,
    PREWARMED,
    COLD;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
