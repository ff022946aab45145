package dev.hearth.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.testsupport.Scratch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whether a model's forward pass is slower when the process was idle just before it than right after another
 * pass: one model loaded in this JVM ({@link ModelHost}, as {@code predict} in {@code bench/model-latency}),
 * its passes in alternating blocks of {@code --block}, back to back or each after {@code --idle} ms of sleep,
 * for {@code --rounds} rounds (the order flips each round). Prints each round's p50 of both, the median of the
 * rounds' differences, and the context switches a pass of this process's threads in each mode.
 *
 * <p>Why: in {@code bench/model-latency} the baseline's passes come back to back, a container's between HTTP
 * exchanges, so the cores and caches are idle or busy with other work before each. On this project's
 * machines the L3 reported to a VM can be larger than a ResNet-50's weights (300 MB against ~100 MB), shared
 * with the host's other tenants. The environment decides libgomp's spin ({@code GOMP_SPINCOUNT}, printed) and
 * glibc's thresholds: run it as a container runs, e.g. with the invoker's {@code GOMP_SPINCOUNT=10000}.
 *
 * <p>Usage: {@code bench/pass-idle [--model resnet50] [--idle 5] [--block 20] [--rounds 10]}.
 */
public final class PassIdleBench {
    private PassIdleBench() {}

    public static void main(String[] args) throws Exception {
        String model = TensorSharingBench.stringArg(args, "--model", "resnet50");
        int idleMs = BenchHttp.intArg(args, "--idle", 5);
        int block = BenchHttp.intArg(args, "--block", 20);
        int rounds = BenchHttp.intArg(args, "--rounds", 10);
        Path work = Scratch.dir("hearth-pass-idle-bench");
        Path zip = ModelLatencyBench.bundle(work, model, "--model");
        String request = model.equals("mlp") ? ModelLatencyBench.tensorRequest() : ModelLatencyBench.imageRequest();
        System.out.printf(
                Locale.ROOT,
                "%s: passes back to back against each after %d ms idle, %d rounds of %d each; GOMP_SPINCOUNT %s,"
                        + " %d cores%n",
                model,
                idleMs,
                rounds,
                block,
                System.getenv().getOrDefault("GOMP_SPINCOUNT", "unset (libgomp's own)"),
                Runtime.getRuntime().availableProcessors());
        try (LoadedModel loaded = new ModelHost().load(zip)) {
            for (int i = 0; i < 50; i++) {
                pass(loaded, request);
            }
            List<Double> differences = new ArrayList<>();
            long[] switches = new long[2];
            for (int r = 0; r < rounds; r++) {
                double[][] ms = new double[2][block]; // 0: back to back, 1: after idle
                for (int k = 0; k < 2; k++) {
                    int mode = (r + k) % 2;
                    long before = contextSwitches();
                    for (int i = 0; i < block; i++) {
                        if (mode == 1) {
                            Thread.sleep(idleMs);
                        }
                        ms[mode][i] = pass(loaded, request);
                    }
                    switches[mode] += contextSwitches() - before;
                }
                double back = Stats.percentile(ms[0], 50);
                double idle = Stats.percentile(ms[1], 50);
                differences.add(idle - back);
                System.out.printf(
                        Locale.ROOT, "round %d p50: back to back %.2f ms, after idle %.2f ms%n", r + 1, back, idle);
            }
            double passes = (double) rounds * block;
            System.out.printf(
                    Locale.ROOT,
                    "after %d ms idle a pass took %+.2f ms (median of %d rounds' p50 differences); context switches"
                            + " a pass: %.1f back to back, %.1f after idle%n",
                    idleMs,
                    Stats.median(differences),
                    rounds,
                    switches[0] / passes,
                    switches[1] / passes);
        }
    }

    /** One {@code predict}; the forward pass's ms. */
    private static double pass(LoadedModel model, String request) throws Exception {
        JsonObject body = JsonParser.parseString(request).getAsJsonObject();
        return model.infer(body).inferenceMs();
    }

    /** Voluntary and involuntary context switches of all of this process's threads so far. */
    private static long contextSwitches() throws IOException {
        long sum = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches")) {
                            sum += Long.parseLong(
                                    line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }
}
