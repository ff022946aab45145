package dev.hearth.invoker.container;

import java.time.Duration;

/**
 * One started container running the runtime proxy. Calls are made by one activation at a time (the
 * pool guarantees it); {@link #destroy()} may come from any thread at any time.
 */
public interface Container {

    String id();

    int memoryMb();

    /** How this container's start went (for the cold-start breakdown of its first activation). */
    StartTimings startTimings();

    /**
     * Sends {@code /init}. Returns normally when the proxy accepted the action; throws
     * {@link InitFailedException} with the message for the activation record (a developer error) when
     * the proxy refused the action, the container died during init, or init outlived {@code timeout}
     * (OpenWhisk's texts); the container is then unusable. {@link ContainerException}: the platform failed.
     * Returns the timings the proxy reported ({@link InitTimings#NONE} when it reported none).
     */
    InitTimings init(InitRequest request, Duration timeout) throws InitFailedException, ContainerException;

    /**
     * Sends {@code /run} and collects the activation's logs (never throws for the action's own
     * failures: they are in the result). {@code logLimitBytes} caps the collected logs.
     */
    RunResult run(RunRequest request, Duration timeout, long logLimitBytes);

    /**
     * Freezes the container while it is idle (the pool calls it after a short grace): it keeps its
     * memory but uses no CPU. Idempotent; a no-op where the factory cannot freeze (process containers).
     */
    default void pause() {}

    /** Thaws a paused container before its next activation. Idempotent; a no-op when not paused. */
    default void resume() {}

    /** Kills the container and releases what it holds. Idempotent. */
    void destroy();

    /** Whether the container is still running. */
    boolean isAlive();

    /**
     * Readies a stem cell for {@code kind} before any action is known: for model kinds the PyTorch
     * engine is initialised ({@code /engine}), so a later {@code /init} only loads the model. The default
     * does nothing (the runtime is already up).
     */
    default void prewarm(String kind) throws ContainerException {}

    /**
     * Loads a model bundle into this not-yet-initialised container without binding it
     * ({@code /preload}); a later {@code /init} with the same digest binds it without loading.
     *
     * @throws ContainerException when the proxy refuses or the container fails (the pre-load is then absent)
     */
    default PreloadResult preload(java.nio.file.Path codePath, String kind, String digest, Duration timeout)
            throws ContainerException {
        throw new ContainerException("this container does not support pre-loading");
    }

    /**
     * Sets this container's CPU weight to {@code share} times what its factory gives a container of its
     * memory (1.0: the factory's default), the scheduler's vertical scaling. Relative, not a cap: it
     * matters only when containers compete for the CPU. The default ignores it.
     */
    default void cpuShare(double share) {}

    /**
     * Moves every thread of the container to {@code priority} (threads it starts later follow). The pool
     * starts stem cells and containers wanted ahead of demand in the {@link CpuPriority#BACKGROUND} and
     * calls this with {@link CpuPriority#NORMAL} before their first activation. The default ignores it.
     *
     * @throws ContainerException when the priority could not be changed (the container is then unusable
     *     for activations: one left in the background would serve them at the machine's leftovers)
     */
    default void cpuPriority(CpuPriority priority) throws ContainerException {}

    /** Drops a pre-loaded model ({@code /offload}); true when it was there. */
    default boolean offload(String digest, Duration timeout) throws ContainerException {
        throw new ContainerException("this container does not support pre-loading");
    }

    /**
     * The host process id of the container's runtime (for its memory figures: {@code /proc/<pid>/smaps_rollup}),
     * when the factory knows it.
     */
    default java.util.OptionalLong pid() {
        return java.util.OptionalLong.empty();
    }
}
