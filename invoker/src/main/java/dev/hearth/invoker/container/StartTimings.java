package dev.hearth.invoker.container;

/**
 * How a container's start went, measured by its factory: {@code createToReadyMs} from the start of
 * {@link ContainerFactory#create} to the runtime proxy's READY line, and {@code runtimeStartMs} the
 * proxy's own {@code startupMs} on that line (JVM start to READY), or null when it did not say.
 * The proxy dates its JVM's start from {@code /proc} at 10 ms resolution, so {@code runtimeStartMs}
 * can exceed the factory's measure by a few milliseconds; {@link #containerStartMs} is then 0.
 */
public record StartTimings(long createToReadyMs, Long runtimeStartMs) {

    /** What is not the proxy's own start: spawning, cgroup placement, the JVM before {@code main}. */
    public long containerStartMs() {
        return runtimeStartMs == null ? createToReadyMs : Math.max(0, createToReadyMs - runtimeStartMs);
    }
}
