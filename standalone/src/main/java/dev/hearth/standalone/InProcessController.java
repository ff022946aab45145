package dev.hearth.standalone;

import dev.hearth.controller.invoke.Invocations;
import dev.hearth.controller.web.RequestBodies;
import dev.hearth.gateway.routing.LocalController;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's hop inside one JVM: an invocation the gateway reads goes to the controller's
 * {@link Invocations} as a method call on a virtual thread of its own, not as a request over loopback to the
 * controller's Tomcat. Every other request (entities, activations, uploads, a body too long to read whole)
 * goes over HTTP as between processes.
 *
 * <p>What the call skips: the request's body (a model's image, 164 KB) written to a socket and read again,
 * the answer likewise, Tomcat's poller waking a thread and its HTTP parsing and writing. What it keeps:
 * everything {@link Invocations#invoke} does for Tomcat (authentication first, limits, the same answers and
 * errors, the activation id header, the {@code hearth.invocations} timer), and the gateway's own part (the
 * transaction id it settled, its answer's headers).
 */
final class InProcessController implements LocalController, AutoCloseable {
    private final Invocations invocations;
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("gateway-call-", 0).factory());
    private final LongAdder calls = new LongAdder();
    private volatile boolean enabled = true;

    InProcessController(Invocations invocations) {
        this.invocations = invocations;
    }

    /** Off: the gateway sends invocations over HTTP too (the benchmarks compare the two on one platform). */
    void enable(boolean on) {
        enabled = on;
    }

    @Override
    public boolean takes(String method, String rawPath) {
        return enabled && Invocations.isInvocation(method, rawPath);
    }

    /** How many requests were taken as calls. */
    long calls() {
        return calls.sum();
    }

    @Override
    public CompletionStage<Reply> call(Call call) {
        calls.increment();
        return CompletableFuture.supplyAsync(
                () -> reply(invocations.invoke(
                        call.rawPath(),
                        call.rawQuery(),
                        call.authorization(),
                        call.id(),
                        max -> RequestBodies.bounded(call.body(), max))),
                threads);
    }

    /**
     * Interrupts the calls still under way (the gateway has stopped and cannot answer them): waiting for them
     * could hold the platform's stop for a blocking call's whole wait, up to a minute.
     */
    @Override
    public void close() {
        threads.shutdownNow();
    }

    private static Reply reply(Invocations.Reply answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", Invocations.Reply.CONTENT_TYPE);
        if (answer.activationId() != null) {
            headers.put(Invocations.Reply.ACTIVATION_ID_HEADER, answer.activationId());
        }
        return new Reply(answer.status(), headers, answer.body());
    }
}
