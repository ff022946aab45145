package dev.hearth.common.message;

import java.util.List;
import java.util.Map;

/**
 * Invoker → controllers and scheduler, every second. An invoker that stops pinging leaves the
 * controllers' rotation. {@code containers} counts containers by state (warm, busy, prewarmed, ...);
 * {@code warm} lists the action paths with an idle warm container; {@code preloaded} the code digests
 * (model bundles) pre-loaded into stem cells: both can be served without a cold start.
 * {@code endpoint} is the invoker's base URL for direct blocking activations
 * ({@code POST {endpoint}/invoker/activations}), null when it offers none: a controller then sends
 * every activation through Kafka.
 */
public record HealthPing(
        int schema,
        String transactionId,
        int invoker,
        long sentAt,
        int userMemoryMb,
        int freeMemoryMb,
        Map<String, Integer> containers,
        List<String> warm,
        List<String> preloaded,
        String endpoint)
        implements Message {

    public HealthPing {
        containers = containers == null ? Map.of() : Map.copyOf(containers);
        warm = warm == null ? List.of() : List.copyOf(warm);
        preloaded = preloaded == null ? List.of() : List.copyOf(preloaded);
    }
}
