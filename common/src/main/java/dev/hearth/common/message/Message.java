package dev.hearth.common.message;

/**
 * A record carried on a Kafka topic. Every message names its schema version and the transaction
 * it belongs to; {@link Messages#decode} refuses a schema it does not know.
 */
public sealed interface Message
        permits ActivationMessage, CompletionMessage, HealthPing, ActivationEvent, SchedulingDecision, ActionChange {
    int SCHEMA = 1;

    int schema();

    String transactionId();
}
