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
     * The documented fixed ports, for {@code bin/hearth up}; function containers are Docker containers
     * when an engine answers and has the runtime-proxy image, else processes (the invoker logs which).
     */
    public static PlatformSettings defaults(Path dataDir) {
        return new PlatformSettings(
                dataDir,
                GATEWAY_PORT,
                3234,
                3236,
                3235,
                3292,
                3293,
                3254,
                4096,
                Map.of("hearth.invoker.factory", "auto"));
    }

    /** Free ports everywhere, for tests that run several platforms. */
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
