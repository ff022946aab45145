package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.intArg;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.testsupport.Scratch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pre-loaded function's first calls: ResNet-50 pre-loaded into a fresh stem cell (made as the
 * invoker makes one: process factory, tensor store, {@code /engine}), idle {@value #IDLE_MS} ms as a stem
 * cell waits, bound by {@code /init}, then {@value #CALLS} {@code /run}s of an image, timed one by one.
 * Rounds alternate between stem cells whose proxy runs with the baseline's flags (by default one example
 * request at {@code /preload}: {@code -Dhearth.proxy.preload-warm-ups=1}) and the proxy's defaults; the
 * first pair is left out (its first load fills the store). Prints the median of each call position over
 * the rounds for both and the ratios.
 *
 * <p>Usage: {@code bench/preload-warm-up [--rounds 8] [--baseline-flags "-Dhearth.proxy.heap-trim=false"]}
 * (rounds per side; the flags are split at spaces).
 */
public final class PreloadWarmUpBench {
    static final int CALLS = 8;
    static final long IDLE_MS = 3000;

    private PreloadWarmUpBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = intArg(args, "--rounds", 8);
        List<String> baselineFlags =
                List.of(TensorSharingBench.stringArg(args, "--baseline-flags", "-Dhearth.proxy.preload-warm-ups=1")
                        .trim()
                        .split("\\s+"));
        Path work = Scratch.dir("hearth-preload-warm-up");
        Path store = Path.of("/dev/shm/hearth-bench-" + ProcessHandle.current().pid() + "-warm-up");
        TensorSharingBench.Bundle bundle = TensorSharingBench.extract(work, "resnet50", DemoModels.resnet50(work));
        RunRequest run = new RunRequest(
                RawJson.of(Json.tree(ModelLatencyBench.imageRequest())),
                "guest",
                "/guest/resnet50",
                "0",
                "0",
                0,
                null,
                0);
        double[][][] ms = new double[2][CALLS][rounds];
        double[][][] forward = new double[2][CALLS][rounds];
        try (ContainerFactory baseline = TensorSharingBench.processFactory(
                        TensorSharingBench.invokerProperties(work.resolve("one"), store, baselineFlags, false));
                ContainerFactory dflt = TensorSharingBench.processFactory(
                        TensorSharingBench.invokerProperties(work.resolve("default"), store, List.of(), false))) {
            for (int round = -1; round < rounds; round++) {
                for (int side = 0; side < 2; side++) {
                    double[][] calls = calls(side == 0 ? baseline : dflt, "warm-up-" + round + "-" + side, bundle, run);
                    if (round >= 0) {
                        for (int i = 0; i < CALLS; i++) {
                            ms[side][i][round] = calls[0][i];
                            forward[side][i][round] = calls[1][i];
                        }
                    }
                }
            }
        } finally {
            TensorSharingBench.deleteTree(store);
        }
        System.out.printf(
                Locale.ROOT,
                "ResNet-50 pre-loaded into a stem cell, /run after /init, median of %d rounds each, ms:%n",
                rounds);
        System.out.println("baseline: " + String.join(" ", baselineFlags));
        System.out.printf(
                Locale.ROOT,
                "%-6s %14s %14s %7s   %s%n",
                "call",
                "baseline",
                "default",
                "ratio",
                "forward pass alone: baseline / default");
        for (int i = 0; i < CALLS; i++) {
            double a = Stats.percentile(ms[0][i], 50);
            double b = Stats.percentile(ms[1][i], 50);
            System.out.printf(
                    Locale.ROOT,
                    "%-6d %14.0f %14.0f %6.2fx   %.0f / %.0f%n",
                    i + 1,
                    a,
                    b,
                    b / a,
                    Stats.percentile(forward[0][i], 50),
                    Stats.percentile(forward[1][i], 50));
        }
    }

    /**
     * One stem cell: start, {@code /engine}, pre-load, idle, bind, {@link #CALLS} timed calls; destroyed.
     * Returns each call's whole {@code /run} and its forward pass (the proxy's {@code inferenceMs}), ms.
     */
    static double[][] calls(ContainerFactory factory, String id, TensorSharingBench.Bundle bundle, RunRequest run)
            throws Exception {
        Container c = factory.create(id, 1024, ContainerFactory.DJL_PYTORCH);
        try {
            c.prewarm(ContainerFactory.DJL_PYTORCH);
            c.preload(bundle.dir(), ContainerFactory.DJL_PYTORCH, bundle.digest(), Duration.ofMinutes(2));
            Thread.sleep(IDLE_MS);
            c.init(
                    new InitRequest(
                            bundle.name(), null, bundle.dir(), Map.of(), ContainerFactory.DJL_PYTORCH, bundle.digest()),
                    Duration.ofMinutes(2));
            double[][] out = new double[2][CALLS];
            for (int i = 0; i < CALLS; i++) {
                long t0 = System.nanoTime();
                RunResult r = c.run(run, Duration.ofMinutes(1), 0);
                out[0][i] = (System.nanoTime() - t0) / 1e6;
                if (!(r instanceof RunResult.Responded ok) || ok.status() != 200 || ok.inferenceMs() == null) {
                    throw new IllegalStateException("the container's /run failed: " + r);
                }
                out[1][i] = ok.inferenceMs();
            }
            return out;
        } finally {
            c.destroy();
        }
    }
}
