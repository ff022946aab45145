package dev.hearth.controller.loadbalancer;

import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import java.net.URI;
import java.time.Duration;

/**
 * Sends one blocking activation straight to an invoker ({@code POST <endpoint>/invoker/activations})
 * and waits for its completion on the same connection. The mechanism behind the load balancer's
 * direct path; {@link HttpDirectInvoker} is the real one. It takes the message, not its encoding, so an
 * invoker in the caller's own process can be handed the record without a JSON round trip.
 */
public interface DirectInvoker {
    /** Never throws: every way the call can end is a {@link Result}. */
    Result call(URI endpoint, ActivationMessage message, Duration wait);

    /** How a direct call ended. */
    sealed interface Result {
        /** The invoker ran the activation and answered with its completion. */
        record Completed(CompletionMessage completion) implements Result {}

        /** The wait ran out with the request delivered: the completion will come through Kafka. */
        record TimedOut() implements Result {}

        /** The invoker had already accepted this activation: its completion comes through Kafka. */
        record AlreadyAccepted() implements Result {}

        /**
         * The call failed: the invoker may or may not have the activation. Sending it through Kafka is safe
         * (an invoker runs an activation id once).
         */
        record Failed(String why) implements Result {}
    }
}
