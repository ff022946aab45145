package dev.hearth.bench;

import static dev.hearth.bench.BenchHttp.intArg;

import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.Messages;
import dev.hearth.controller.invoke.InvokeParameters;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.testsupport.SampleActivations;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON work an invocation's parameters cost between the gateway and the container, in one JVM:
 * the controller reads the body and writes the activation message, the invoker reads the message and
 * writes the container's {@code /run} body. Two ways, interleaved in blocks whose order alternates:
 * <ul>
 *   <li>as trees (the baseline: the code before {@link RawJson}): the body parsed into a tree and
 *       merged under the action's defaults, the message written, read back into a tree, and the
 *       {@code /run} body written from it;</li>
 *   <li>as bytes (what Hearth does): {@link InvokeParameters} checks the body and merges the defaults
 *       in front of its bytes, the message carries them, {@link Messages#decode} slices them out, and
 *       the {@code /run} body copies them in.</li>
 * </ul>
 * Three bodies: the MLP's 8 KB tensor request and the ResNet's 164 KB image request of
 * {@code bench/model-latency}, and a 1 MB base64 string. The action has one default parameter, so the
 * merge is exercised. Prints the p50 per call of each way and the ratio.
 *
 * <p>Usage: {@code bench/param-passing [--rounds 6] [--calls 500]}.
 */
public final class ParamPassingBench {
    private static final List<KeyValue> DEFAULTS = List.of(new KeyValue("topK", Json.tree("5")));

    private ParamPassingBench() {}

    public static void main(String[] args) {
        int rounds = intArg(args, "--rounds", 6);
        int calls = intArg(args, "--calls", 500);
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("the MLP's tensor", utf8(ModelLatencyBench.tensorRequest()));
        bodies.put("the ResNet's image", utf8(ModelLatencyBench.imageRequest()));
        bodies.put("a 1 MB base64 string", body(1024));
        System.out.printf(
                "parameters from the controller's body to the container's /run body: %d rounds x %d calls per way%n",
                rounds, calls);
        long sink = 0;
        for (Map.Entry<String, byte[]> entry : bodies.entrySet()) {
            byte[] body = entry.getValue();
            List<Double> trees = new ArrayList<>();
            List<Double> bytes = new ArrayList<>();
            for (int round = 0; round < rounds + 1; round++) { // round 0 warms both up
                for (int way = 0; way < 2; way++) {
                    boolean treeWay = (way + round) % 2 == 0;
                    for (int i = 0; i < calls; i++) {
                        long t0 = System.nanoTime();
                        sink += treeWay ? asTrees(body) : asBytes(body);
                        double ms = (System.nanoTime() - t0) / 1e6;
                        if (round > 0) {
                            (treeWay ? trees : bytes).add(ms);
                        }
                    }
                }
            }
            double t = Stats.percentile(trees.stream().mapToDouble(d -> d).toArray(), 50);
            double b = Stats.percentile(bytes.stream().mapToDouble(d -> d).toArray(), 50);
            System.out.printf(
                    "%-22s (%4d KB): as trees (baseline) p50 %.3f ms, as bytes p50 %.3f ms, ratio %.2fx, saved %.3f ms a call%n",
                    entry.getKey(), body.length / 1024, t, b, b / t, t - b);
        }
        System.out.println(sink == 42 ? "" : "(done)");
    }

    /** The way before {@link RawJson}: a tree at every hop. */
    static long asTrees(byte[] body) {
        JsonNode params = Json.mapper().readTree(body); // controller: the request
        ObjectNode content = Json.object();
        for (KeyValue d : DEFAULTS) {
            content.set(d.key(), d.value());
        }
        content.setAll((ObjectNode) params);
        ObjectNode message =
                Json.mapper().valueToTree(SampleActivations.blocking("djl:pytorch", RawJson.emptyObject()));
        message.set("content", content);
        byte[] wire = Json.toBytes(message); // controller: the activation message
        JsonNode read = Json.mapper().readTree(wire); // invoker: the message
        ObjectNode run = new RunRequest(null, "guest", "/guest/a", "0", "tx", 0, null, 2).toJson();
        run.set("value", read.get("content"));
        return Json.toBytes(run).length; // invoker: the /run body
    }

    /** Hearth's way: bytes checked once, then copied. */
    static long asBytes(byte[] body) {
        RawJson content = InvokeParameters.read(body).under(DEFAULTS);
        byte[] wire = Messages.encode(SampleActivations.blocking("djl:pytorch", content));
        ActivationMessage read = Messages.decode(wire, ActivationMessage.class);
        RunRequest run = new RunRequest(read.content(), "guest", "/guest/a", "0", "tx", 0, null, 2);
        return Json.toBytes(run.toJson()).length;
    }

    /** {@code {"image": "<base64 of kb KB of seeded random bytes>"}}. */
    private static byte[] body(int kb) {
        byte[] raw = new byte[kb * 1024 * 3 / 4];
        new Random(7).nextBytes(raw);
        return utf8("{\"image\":\"" + Base64.getEncoder().encodeToString(raw) + "\"}");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
