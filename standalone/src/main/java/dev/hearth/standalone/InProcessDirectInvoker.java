package dev.hearth.standalone;

import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.controller.loadbalancer.DirectInvoker;
import dev.hearth.invoker.activation.ActivationService;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The direct path inside one JVM: a blocking activation for the invoker this platform runs in the same
 * process goes to that invoker's {@link ActivationService#runNow} as a method call, not as an HTTP request
 * to its {@code /invoker/activations}; activations for any other endpoint take the controller's own
 * {@link DirectInvoker} (HTTP). OpenWhisk's standalone does the like: its lean balancer hands activations
 * to the invoker in memory.
 *
 * <p>What the call skips: the 164 KB of an image crossing a socket, Tomcat and Spring MVC in the invoker,
 * the encoding and decoding of the activation message and of the completion (the invoker is handed the
 * controller's record), and the wake-ups of the threads on both ends of the connection.
 * What it keeps: everything {@code runNow} does (an activation id runs once, the record is stored and the
 * completion handed to the controller after the answer), and the HTTP path's outcomes. The activation runs on a
 * virtual thread of its own so that a wait that runs out answers {@link Result.TimedOut} while it goes on,
 * as over HTTP; a failure of the call is {@link Result.Failed} (the load balancer then sends the message
 * through Kafka, where the invoker skips an id it has seen).
 */
final class InProcessDirectInvoker implements DirectInvoker {

    /** The invoker of this process: the endpoint it advertises and its {@link ActivationService#runNow}. */
    record Local(URI endpoint, Function<ActivationMessage, Optional<CompletionMessage>> runNow) {}

    private final DirectInvoker remote;
    private final Attachment attachment;

    InProcessDirectInvoker(DirectInvoker remote, Attachment attachment) {
        this.remote = remote;
        this.attachment = attachment;
    }

    @Override
    public Result call(URI endpoint, ActivationMessage message, Duration wait) {
        Local local = attachment.local;
        if (local == null || !local.endpoint().equals(endpoint)) {
            return remote.call(endpoint, message, wait);
        }
        CompletableFuture<Optional<CompletionMessage>> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("in-process-" + message.activationId()).start(() -> {
            try {
                answer.complete(local.runNow().apply(message));
            } catch (Throwable t) {
                answer.completeExceptionally(t);
            }
        });
        try {
            return answer.get(wait.toNanos(), TimeUnit.NANOSECONDS)
                    .<Result>map(Result.Completed::new)
                    .orElseGet(Result.AlreadyAccepted::new);
        } catch (TimeoutException e) {
            return new Result.TimedOut();
        } catch (ExecutionException e) {
            return new Result.Failed("the invoker in this process failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Failed("interrupted while waiting for the invoker in this process");
        }
    }

    /** Where the platform puts its invoker once it is up, and takes it away before it stops. */
    static final class Attachment {
        private volatile Local local;

        void attach(Local invoker) {
            local = invoker;
        }

        void detach() {
            local = null;
        }
    }
}
