package dev.hearth.common.message;

import dev.hearth.common.entity.Slo;

/**
 * Controller or invoker → scheduler: the metrics of one activation (milliseconds). {@code startKind}
 * is {@code warm}, {@code prewarmed}, {@code preloaded} or {@code cold}. {@code slo} is the action's
 * latency SLO from its {@code slo} annotation, {@link Slo#DEFAULT} when it has none (and in events from
 * senders that predate the field).
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
        String startKind,
        Slo slo)
        implements Message {

    public ActivationEvent {
        slo = slo == null ? Slo.DEFAULT : slo;
    }
}
