package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.intArg;
import static dev.hearth.bench.BenchHttp.post;

import dev.hearth.bench.hops.Exchange;
import dev.hearth.bench.hops.HopTimeline;
import dev.hearth.bench.hops.LoopbackCapture;
import dev.hearth.bench.hops.Pcap;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.standalone.Platform;
import dev.hearth.standalone.PlatformSettings;
import dev.hearth.testsupport.Scratch;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a warm model call's time goes, hop by hop: the warm calls of {@code model-latency} (through the
 * gateway, blocking, direct path) and the same model's container called alone, in interleaved blocks,
 * while {@code tcpdump} records loopback. Each process's time between the data it received and the data
 * it sent, and each body's transfer, is read off the capture (see {@link HopTimeline}); the container
 * alone is the baseline for the container's own hop. No Hearth code is changed or timed from inside.
 *
 * <p>Usage: {@code bench/hop-timeline [--model resnet18|resnet50|mlp] [--calls 300]
 * [--platform-warm-up 10000]}. Needs Debian's {@code tcpdump} and root; says so and stops otherwise.
 */
public final class HopTimelineBench {
    private static final int BLOCK = 25;

    private HopTimelineBench() {}

    public static void main(String[] args) throws Exception {
        Optional<Path> tcpdump = LoopbackCapture.tcpdump();
        if (tcpdump.isEmpty()) {
            System.err.println("hop-timeline needs tcpdump (apt-get install tcpdump) and root to capture on lo.");
            System.exit(2);
        }
        String model = TensorSharingBench.stringArg(args, "--model", "resnet18");
        int calls = intArg(args, "--calls", 300);
        int warmUp = intArg(args, "--platform-warm-up", 10_000);
        Path work = Scratch.dir("hearth-hops");
        Path bundle = ModelLatencyBench.bundle(work, model, "--model");
        Path mlp = model.equals("mlp") ? bundle : DemoModels.mlp(work);
        String small = ModelLatencyBench.tensorRequest();
        String request = model.equals("mlp") ? small : ModelLatencyBench.imageRequest();
        Map<String, Object> settings = new HashMap<>(BenchHttp.UNTHROTTLED);
        settings.put("hearth.controller.direct.enabled", true);
        System.out.printf(
                "Hearth hop timeline: %s, %d warm calls through the gateway and %d to its container alone,"
                        + " blocks of %d, %d cores%n",
                model, calls, calls, BLOCK, Runtime.getRuntime().availableProcessors());
        HopTimeline.Result result;
        String captured;
        try (Platform platform = Platform.start(
                PlatformSettings.ephemeral(work.resolve("data"), settings).withInvokerMemoryMb(8192))) {
            String auth = ModelLatencyBench.guestAuth(platform);
            ModelLatencyBench.warmPlatform(platform, auth, mlp, small, warmUp);
            String url = ModelLatencyBench.deploy(platform, auth, model, bundle) + "?blocking=true";
            try (ModelLatencyBench.Alone alone = ModelLatencyBench.Alone.start(work, model, bundle, request)) {
                long until = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < until) {
                    post(url, auth, request, 200);
                    alone.call();
                }
                LoopbackCapture capture = LoopbackCapture.start(tcpdump.get(), work.resolve("lo.pcap"));
                try {
                    for (int from = 0; from < calls; from += BLOCK) {
                        int n = Math.min(BLOCK, calls - from);
                        boolean hearthFirst = (from / BLOCK) % 2 == 0;
                        for (int turn = 0; turn < 2; turn++) {
                            for (int i = 0; i < n; i++) {
                                if ((turn == 0) == hearthFirst) {
                                    post(url, auth, request, 200);
                                } else {
                                    alone.call();
                                }
                            }
                        }
                    }
                } finally {
                    captured = capture.stop();
                }
                result =
                        HopTimeline.of(Exchange.of(Pcap.read(capture.file())), "/api/v1/namespaces/_/actions/" + model);
            }
        }
        System.out.println("capture: " + captured);
        print(result, calls);
    }

    private static void print(HopTimeline.Result r, int calls) {
        int matched = r.hearth().values().iterator().next().length;
        if (matched == 0 || r.alone().values().iterator().next().length == 0) {
            System.out.println("no calls matched in the capture (" + r.unmatched() + " unmatched): nothing to split");
            return;
        }
        System.out.printf(
                "%d of %d calls through Hearth matched (%d without exactly one controller request and one /run),"
                        + " %d container-alone calls%n",
                matched, calls, r.unmatched(), r.alone().values().iterator().next().length);
        System.out.printf("%-58s %9s %9s %9s%n", "hop (ms)", "p10", "p50", "p90");
        r.hearth().forEach((hop, v) -> row(hop, v));
        r.alone().forEach((hop, v) -> row(hop, v));
        double inside = Stats.percentile(r.hearth().get(HopTimeline.CONTAINER), 50);
        double alone = Stats.percentile(r.alone().get(HopTimeline.CONTAINER_ALONE), 50);
        System.out.printf(
                "the container's own hop: p50 %.2f ms inside Hearth, %.2f ms alone (%+.2f ms, %.2fx)%n",
                inside, alone, inside - alone, inside / alone);
    }

    private static void row(String hop, double[] v) {
        System.out.printf(
                "%-58s %9.3f %9.3f %9.3f%n",
                hop, Stats.percentile(v, 10), Stats.percentile(v, 50), Stats.percentile(v, 90));
    }
}
