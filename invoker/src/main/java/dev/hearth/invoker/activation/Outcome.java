package dev.hearth.invoker.activation;

import dev.hearth.common.entity.ActivationResponse;
import java.time.Instant;
import java.util.List;

/**
 * How one activation went, before it becomes a record: when the container work began and ended,
 * the init time on a cold start (null otherwise), the start kind ({@code cold}, {@code warm}, or
 * {@code none} when no container was reached), whether it timed out, the response and logs.
 */
record Outcome(Instant start, Instant end, Long initMs, String startKind, boolean timedOut,
        ActivationResponse response, List<String> logs) {

    static Outcome platformFailure(Instant at, String message) {
        return new Outcome(at, at, null, "none", false, ActivationResponse.whiskError(message), List.of());
    }
}
