package dev.hearth.invoker.container.docker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The few Docker engine calls the factory makes, so a unit test can stand in for the engine
 * ({@link DockerJavaApi} is the real one). Every method may throw an unchecked exception when the
 * engine refuses or cannot be reached.
 */
interface DockerApi extends AutoCloseable {

    /** Fails when no engine answers. */
    void ping();

    /** Whether the engine has {@code image} locally (nothing is ever pulled). */
    boolean hasImage(String image);

    /** Creates (does not start) a container; returns its id. */
    String create(ContainerSpec spec);

    /**
     * Streams the container's stdout and stderr (from its very start when called before
     * {@link #start}) into {@code sink} on a thread of the client's; {@link Output#end} when the
     * container's output ends. Returns a handle that stops the stream.
     */
    AutoCloseable attach(String id, Output sink);

    void start(String id);

    /** The container's address on {@code network}. */
    String ipAddress(String id, String network);

    void pause(String id);

    void unpause(String id);

    /** Removes the container, killing it first if it runs (or is paused). Missing is not an error. */
    void remove(String id);

    /** Sets a running container's relative CPU weight ({@code docker update --cpu-shares}). */
    void updateCpuShares(String id, int cpuShares);

    /** The container's relative CPU weight as the engine holds it. */
    int cpuShares(String id);

    /** Ids of every container (running or not) with label {@code key=value}. */
    List<String> listByLabel(String key, String value);

    /** The host pid of the container's first process ({@code State.Pid}), 0 when it does not run. */
    long pid(String id);

    /** What the engine says about the container's process. */
    Status inspect(String id);

    @Override
    void close();

    /** Receives raw output chunks as the engine frames them (not whole lines). */
    interface Output {
        void chunk(boolean stderr, byte[] bytes);

        void end();
    }

    /** @param exitCode null while it runs */
    record Status(boolean running, boolean paused, boolean oomKilled, Long exitCode) {}

    /** A bind mount of {@code hostPath} at {@code containerPath}. */
    record Bind(Path hostPath, Path containerPath, boolean readOnly) {}

    /**
     * A function container: command, environment, labels, and its limits and hardening.
     *
     * @param cpuShares relative CPU weight (Docker's {@code --cpu-shares})
     * @param nanoCpus  a hard CPU cap in billionths of a CPU, 0 for none ({@code --cpus})
     * @param tmpfs     mount point → tmpfs options (e.g. {@code /tmp} → {@code rw,exec,size=64m})
     */
    record ContainerSpec(
            String name,
            String image,
            List<String> command,
            Map<String, String> env,
            Map<String, String> labels,
            long memoryBytes,
            int cpuShares,
            long nanoCpus,
            long pidsLimit,
            boolean readOnlyRootFs,
            Map<String, String> tmpfs,
            List<Bind> binds,
            String network) {
        public ContainerSpec {
            command = List.copyOf(command);
            env = Map.copyOf(env);
            labels = Map.copyOf(labels);
            tmpfs = Map.copyOf(tmpfs);
            binds = List.copyOf(binds);
        }
    }
}
