package dev.hearth.invoker.activation;

import dev.hearth.common.message.CompletionMessage;

/**
 * Completions for a controller that runs in this JVM, handed over as a method call instead of through
 * Kafka's {@code completed{C}}. The standalone platform supplies one for its controller; on its own an
 * invoker has none ({@link #NONE}) and every completion goes through Kafka.
 *
 * <p>What it saves: a completion through Kafka is a send by the invoker's producer, a produce request the
 * broker appends and answers, and a fetch answer that wakes the controller's reader, which decodes it;
 * all of that ran beside the next call on every call (session 26, a warm ResNet-18 under a closed loop on
 * 2 cores: the reader alone ~0.65 ms of CPU a call, the producer ~0.64 with the events it also sends).
 * What a completion means is unchanged: it is handed over after its record was inserted, so a controller
 * that holds reads until then still reads its writes.
 */
@FunctionalInterface
public interface LocalCompletions {
    /** No controller in this JVM. */
    LocalCompletions NONE = (controller, completion) -> false;

    /**
     * Hands {@code completion} to controller {@code controller} when it runs in this JVM; false when it does
     * not, and the completion goes through Kafka.
     */
    boolean deliver(int controller, CompletionMessage completion);
}
