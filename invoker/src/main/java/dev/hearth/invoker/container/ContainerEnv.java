package dev.hearth.invoker.container;

import dev.hearth.invoker.InvokerProperties;
import java.util.Map;

/**
 * The environment every container gets from the invoker's settings, whatever its factory: now
 * {@code GOMP_SPINCOUNT} ({@code hearth.invoker.cpu.gomp-spin-count}): how many times libtorch's OpenMP
 * workers spin at a barrier before they sleep (libgomp reads it once, at start; its own default is 300000,
 * "~3 ms" by its estimate of 100000 spins a millisecond).
 *
 * <p>What it costs depends on how passes overlap on the cores. Measured on this 2-core machine:
 * <ul>
 *   <li>Two processes each on 2 threads at once (session 17, ResNet-50, p50 per pass): 1179 / 1220 ms
 *       with libgomp's default, 383 / 450 with 10000, 274 / 285 with 1000: a spinning worker burns the
 *       core its descheduled team-mate needs. {@code bench/proxy-ab --overlap 2,2} (session 28, ResNet-18,
 *       medians of 5 runs' p50): 80.4 / 80.6 ms with 10000 against 28.4 / 29.2 with 1000.</li>
 *   <li>One pass alone (session 28, {@code bench/proxy-ab}, ResNet-18, within one run each): 1000 against
 *       10000 14.21 against 12.25 ms for the forward pass (18.84 against 16.80 for the whole {@code /run},
 *       0.89x), against 30000 12.48 / 11.51, against libgomp's own 13.95 / 11.96. With 1000 the worker
 *       falls asleep between the pass's operators and each one wakes it.</li>
 *   <li>A pass on 2 threads beside one on 1 (what the split of the cores sends: {@code --overlap 2,1}):
 *       the 2-thread pass 30.98 ms with 1000 against 20.88 with 10000 (0.67x), the 1-thread one equal
 *       (23.10 / 22.88).</li>
 * </ul>
 * So the default follows the split ({@link dev.hearth.invoker.InvokerProperties.Cpu#defaultGompSpinCount}):
 * 10000 while it is on (the split gives a pass that starts beside another fewer threads, so two teams of a
 * thread per core seldom share the cores), and 1000 without it.
 */
public final class ContainerEnv {

    public static final String GOMP_SPINCOUNT = "GOMP_SPINCOUNT";

    private ContainerEnv() {}

    public static Map<String, String> of(InvokerProperties.Cpu cpu) {
        return cpu.gompSpinCount() < 0 ? Map.of() : Map.of(GOMP_SPINCOUNT, Integer.toString(cpu.gompSpinCount()));
    }
}
