package dev.hearth.invoker.pool;

/**
 * How an activation got its container, the {@code startKind} annotation: {@code warm} (an idle container
 * already initialised for the action), {@code preloaded} (a stem cell already holding the action's model:
 * {@code /init} binds it without loading), {@code prewarmed} (a stem cell with the runtime and engine up:
 * {@code /init} loads the code), {@code cold} (a container started for this request).
 */
public enum StartKind {
    WARM,
    PRELOADED,
    PREWARMED,
    COLD;

    /** The annotation's value. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the container still needs {@code /init}. */
    public boolean needsInit() {
        return this != WARM;
    }

    /** Whether {@code /init} loads the action's code or model (pre-loaded and warm containers hold it). */
    public boolean loadsAtInit() {
        return this == PREWARMED || this == COLD;
    }
}
