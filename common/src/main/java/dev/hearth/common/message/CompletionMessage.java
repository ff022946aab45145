package dev.hearth.common.message;

import dev.hearth.common.entity.Activation;

/**
 * Invoker → controller: an activation ended (or could not be run). The full record travels along so
 * a blocking caller gets its answer without a database read. {@code memoryMb} is the slot size the
 * controller's load balancer releases for this invoker.
 */
public record CompletionMessage(
        int schema,
        String transactionId,
        String activationId,
        int invoker,
        int memoryMb,
        boolean systemError,
        Activation activation)
        implements Message {}
