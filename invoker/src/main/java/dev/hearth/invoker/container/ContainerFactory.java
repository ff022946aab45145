package dev.hearth.invoker.container;

/**
 * Makes containers. The contract every implementation keeps:
 * <ul>
 *   <li>{@link #create} returns only a <em>started</em> container: its runtime proxy accepts
 *       {@code /init}. It blocks the calling thread (call it from a virtual thread) until then, or
 *       until the factory's start timeout, and then throws {@link ContainerException} after it has
 *       cleaned up whatever it started — a failed create leaves nothing running.</li>
 *   <li>The caller owns the returned container and must {@link Container#destroy()} it.</li>
 *   <li>{@code memoryMb} is the action's memory limit: the factory enforces it as well as its
 *       system allows (a cgroup, a Docker memory limit) and sizes the runtime's heap to fit: most of
 *       it for {@code java}, a small share for model kinds, whose weights live in native memory.</li>
 *   <li>{@link #close()} destroys every container the factory made that is still alive; a factory
 *       also does so from a JVM shutdown hook, so no container outlives the invoker's JVM.</li>
 *   <li>Thread-safe: many containers are created concurrently.</li>
 * </ul>
 * Implementations: {@code process.ProcessContainerFactory} (child JVMs) and
 * {@code docker.DockerContainerFactory} (Docker containers, which can also {@link Container#pause}).
 */
public interface ContainerFactory extends AutoCloseable {

    /** The kind of plain Java actions. */
    String JAVA = "java";
    /** The kind of DJL models on PyTorch: the code is a bundle zip, weights live in native memory. */
    String DJL_PYTORCH = "djl:pytorch";

    /** Whether {@code kind} is a model kind (native weights, a small heap, inference timings). */
    static boolean isModel(String kind) {
        return kind != null && kind.startsWith("djl:");
    }

    /**
     * Starts a container for an action of the given {@code kind} ({@link #JAVA}, {@link #DJL_PYTORCH})
     * and memory (any size the pool grants: model actions take 512 MB to 4 GB).
     *
     * @param id       a unique, file-name-safe id for the container (the pool chooses it)
     * @throws ContainerException when the container cannot be started in time
     */
    Container create(String id, int memoryMb, String kind) throws ContainerException;

    /**
     * {@link #create} at a CPU priority: a factory that can starts the whole container at it (so its start
     * is in the background too); the default starts it normally and then moves it.
     */
    default Container create(String id, int memoryMb, String kind, CpuPriority priority) throws ContainerException {
        Container container = create(id, memoryMb, kind);
        if (priority != CpuPriority.NORMAL) {
            try {
                container.cpuPriority(priority);
            } catch (ContainerException | RuntimeException e) {
                container.destroy();
                throw e;
            }
        }
        return container;
    }

    /** Destroys every container still alive. Idempotent. */
    @Override
    void close();
}
