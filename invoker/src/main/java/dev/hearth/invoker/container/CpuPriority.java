package dev.hearth.invoker.container;

/**
 * How a container competes for the CPU. Work done ahead of demand — a stem cell's start and engine
 * warm-up, the models pre-loaded into it, a container started before its function is called — runs in
 * the {@link #BACKGROUND}: on a busy machine it takes only what activations leave, so it never slows the
 * forward passes it exists to speed up. A container is moved to {@link #NORMAL} before it serves its
 * first activation.
 */
public enum CpuPriority {
    /** What every container serving activations has. */
    NORMAL,
    /** The least the factory can give: process containers at nice 19, Docker containers at 2 CPU shares. */
    BACKGROUND
}
