package dev.hearth.scheduler.latency;

/**
 * The project's measured figures, in one place, in milliseconds and megabytes. Everything the
 * simulator and the policies know about cold starts and service times comes from here.
 *
 * <p>Measured on this project's 2-core machine (README, "Benchmarks"; docs/architecture.md):
 * <ul>
 *   <li>container create + start 50–70 ms (Docker, STACK.md) → {@link #CONTAINER_START_MS};
 *   <li>runtime proxy spawn to ready 48.7–68.8 ms (bench/proxy-startup) → {@link #RUNTIME_START_MS};
 *   <li>PyTorch engine init on a process's first use 0.5–0.8 s → {@link #ENGINE_INIT_MS};
 *   <li>model load, private copy: ResNet-18 163 ms, ResNet-50 ~250 ms; through the tensor store
 *       (unoptimised) 1.4 s for ResNet-50, i.e. 5.6x the private load;
 *   <li>ResNet-18 cold start to first result 650–1130 ms; first inference 50 ms against a warm 34 ms
 *       p50 through Hearth (17 ms in one JVM); ResNet-50 cold 1.46–1.64 s; MLP cold 0.48–0.51 s, warm
 *       ~1 ms of compute plus 8–9 ms of platform overhead.
 * </ul>
 *
 * <p>Not measured, estimated (say so when quoting results): ResNet-50 warm service (80 ms, from its
 * 2.3x the FLOPs of ResNet-18), the parallel fraction of inference across cores, and resident memory
 * (runtime JVM 150 MB, PyTorch engine 200 MB, weights 45 / 98 / 1 MB, private working memory 60 / 150 /
 * 10 MB for ResNet-18 / ResNet-50 / MLP).
 */
public final class Measured {
    public static final double CONTAINER_START_MS = 60;
    public static final double RUNTIME_START_MS = 60;
    public static final double ENGINE_INIT_MS = 650;
    /** {@code /init} of a container whose model is already loaded (handshake, adapters). */
    public static final double PRELOADED_INIT_MS = 10;
    /** Loading through the unoptimised tensor store takes this many times the private load. */
    public static final double TENSOR_STORE_LOAD_FACTOR = 1400.0 / 250.0;

    public static final double RUNTIME_MB = 150;
    public static final double ENGINE_MB = 200;

    /**
     * Price of resource·time: one core-second is 1 unit, one GB-second 0.11 units (the ratio of AWS
     * Fargate's per-vCPU-hour to per-GB-hour price, 0.04048 / 0.004445 ≈ 9.1).
     */
    public static final double COST_PER_GB_SECOND = 0.11;

    public static final ModelProfile RESNET18 = new ModelProfile("resnet18", 34, 0.6, 163, 16, 45, 60);
    public static final ModelProfile RESNET50 = new ModelProfile("resnet50", 80, 0.6, 250, 30, 98, 150);
    public static final ModelProfile MLP = new ModelProfile("mlp", 9, 0.1, 5, 1, 1, 10);

    private Measured() {}

    public static ModelProfile profile(String name) {
        return switch (name) {
            case "resnet18" -> RESNET18;
            case "resnet50" -> RESNET50;
            case "mlp" -> MLP;
            default ->
                throw new IllegalArgumentException("unknown model profile " + name + " (resnet18, resnet50, mlp)");
        };
    }
}
