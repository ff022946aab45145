package dev.hearth.invoker.container;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What one {@code /run} came to: the proxy answered ({@link Responded} with its HTTP status and JSON
 * body), the time limit passed ({@link TimedOut}; the container is destroyed), or the container
 * died or broke the connection ({@link Exited}; the container is destroyed). {@code logs} are the
 * activation's log lines in OpenWhisk's format, merged in time order and capped.
 */
public sealed interface RunResult {
    Instant start();

    Instant end();

    List<String> logs();

    /** Whether the container can serve another activation. */
    default boolean containerHealthy() {
        return this instanceof Responded;
    }

    /** {@code inferenceMs}: the proxy's {@code X-Hearth-Inference-Ms} header (model kinds), else null. */
    record Responded(int status, JsonNode body, Instant start, Instant end, List<String> logs, Double inferenceMs)
            implements RunResult {
        public Responded(int status, JsonNode body, Instant start, Instant end, List<String> logs) {
            this(status, body, start, end, logs, null);
        }
    }

    record TimedOut(Instant start, Instant end, List<String> logs) implements RunResult {}

    record Exited(String detail, Instant start, Instant end, List<String> logs) implements RunResult {
        /** The {@code detail} of a container the kernel killed for exceeding its memory limit. */
        public static final String MEMORY_EXHAUSTED = "memory exhausted (OOM-killed)";

        public boolean memoryExhausted() {
            return MEMORY_EXHAUSTED.equals(detail);
        }
    }
}
