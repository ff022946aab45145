package dev.hearth.invoker.container;

import dev.hearth.invoker.InvokerProperties;
import java.util.Map;

/**
 * The environment every container gets from the invoker's settings, whatever its factory: now
 * {@code GOMP_SPINCOUNT} ({@code hearth.invoker.cpu.gomp-spin-count}). Measured on this 2-core machine
 * (session 17, two processes each running ResNet-50 forward passes on 2 threads at once): 1179 and
 * 1220 ms per pass (p50) with libgomp's default spin, 274 and 285 ms with 1000; alone, the runs of the
 * three settings overlapped within the machine's noise (63–191 ms).
 */
public final class ContainerEnv {

    public static final String GOMP_SPINCOUNT = "GOMP_SPINCOUNT";

    private ContainerEnv() {}

    public static Map<String, String> of(InvokerProperties.Cpu cpu) {
        return cpu.gompSpinCount() < 0 ? Map.of() : Map.of(GOMP_SPINCOUNT, Integer.toString(cpu.gompSpinCount()));
    }
}
