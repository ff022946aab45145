package dev.hearth.common.message;

/**
 * Controller or invoker → scheduler: the metrics of one activation (milliseconds). {@code startKind}
 * is {@code warm}, {@code prewarmed}, {@code preloaded} or {@code cold}.
 */
public record ActivationEvent(
        int schema,
        String transactionId,
        String activationId,
        String action,
        String kind,
        int memoryMb,
        int invoker,
        long arrivedAt,
        long waitMs,
        long initMs,
        long durationMs,
        int statusCode,
        String startKind)
        implements Message {}
