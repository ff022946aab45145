package dev.hearth.invoker.activation;

import dev.hearth.common.entity.ActivationResponse;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * How one activation went, before it becomes a record: when the container work began and ended,
 * the init time on a cold start (null otherwise) and its breakdown (null otherwise, see
 * {@link ColdStartBreakdown}), the start kind ({@code cold}, {@code warm}, or {@code none} when no
 * container was reached), whether it timed out, the response and logs, and the model's inference
 * time as the runtime reported it (null when it did not), and the threads {@code /run} asked it to
 * compute on (null: left to the runtime; see {@link dev.hearth.invoker.cpu.ThreadSplit}), and how long a
 * model's forward pass waited for its turn (null: not gated; see {@link dev.hearth.invoker.cpu.PassGate}).
 */
record Outcome(
        Instant start,
        Instant end,
        Long initMs,
        ObjectNode initBreakdown,
        String startKind,
        boolean timedOut,
        ActivationResponse response,
        List<String> logs,
        Double inferenceMs,
        Integer cpuThreads,
        Long passWaitMs) {

    static Outcome platformFailure(Instant at, String message) {
        return new Outcome(
                at, at, null, null, "none", false, ActivationResponse.whiskError(message), List.of(), null, null, null);
    }
}
