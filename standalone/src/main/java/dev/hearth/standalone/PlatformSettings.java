package dev.hearth.standalone;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where and how the standalone platform runs. A port of 0 means "pick a free one" (tests); the
 * defaults are the documented ports. {@code extra} adds Spring properties to every service (tests
 * tune idle timeouts or limits with it).
 */
public record PlatformSettings(
        Path dataDir,
        int gatewayPort,
        int controllerPort,
        int invokerPort,
        int schedulerPort,
        int kafkaPort,
        int kafkaControllerPort,
        int postgresPort,
        int invokerMemoryMb,
        Map<String, Object> extra) {

    public static final int GATEWAY_PORT = 3233;

    public PlatformSettings {
        if (dataDir == null) {
            throw new IllegalArgumentException("a data directory is required");
        }
        extra = extra == null ? Map.of() : Map.copyOf(extra);
        if (invokerMemoryMb < 128) {
            throw new IllegalArgumentException("invoker memory must be at least 128 MB: " + invokerMemoryMb);
        }
    }

    /**
     * Stem cells {@code bin/hearth up} keeps ready: one 256 MB {@code java} and one 1024 MB
     * {@code djl:pytorch} container (runtime and engine up), which the pre-loader fills with the models of
     * functions likely to be called.
     */
    public static final Map<String, Object> DEFAULT_PREWARM = Map.of(
            "hearth.invoker.prewarm[0].kind", "java",
            "hearth.invoker.prewarm[0].memory-mb", 256,
            "hearth.invoker.prewarm[0].count", 1,
            "hearth.invoker.prewarm[1].kind", "djl:pytorch",
            "hearth.invoker.prewarm[1].memory-mb", 1024,
            "hearth.invoker.prewarm[1].count", 1);

    /**
     * The documented fixed ports and stem cells, for {@code bin/hearth up}; function containers are Docker
     * containers when an engine answers and has the runtime-proxy image, else processes (the invoker logs
     * which).
     */
    public static PlatformSettings defaults(Path dataDir) {
        Map<String, Object> extra = new java.util.HashMap<>(DEFAULT_PREWARM);
        extra.put("hearth.invoker.factory", "auto");
        return new PlatformSettings(dataDir, GATEWAY_PORT, 3234, 3236, 3235, 3292, 3293, 3254, 4096, extra);
    }

    /** Free ports everywhere and no stem cells (unless {@code extra} asks), for tests that run several platforms. */
    public static PlatformSettings ephemeral(Path dataDir, Map<String, Object> extra) {
        return new PlatformSettings(dataDir, 0, 0, 0, 0, 0, 0, 0, 4096, extra);
    }

    public PlatformSettings withInvokerMemoryMb(int mb) {
        return new PlatformSettings(
                dataDir,
                gatewayPort,
                controllerPort,
                invokerPort,
                schedulerPort,
                kafkaPort,
                kafkaControllerPort,
                postgresPort,
                mb,
                extra);
    }
}
