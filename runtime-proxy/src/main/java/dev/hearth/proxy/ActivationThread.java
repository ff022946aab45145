package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The one long-lived thread on which the proxy does an action's work: {@code /engine}, {@code /preload},
 * {@code /offload}, {@code /init} and {@code /run}. The HTTP server's threads only parse, hand over and
 * wait (they come and go: its pool drops a thread after 60 s idle), and answer {@code /stats} themselves.
 *
 * <p>Why: native libraries keep state per calling thread. A ResNet-50 forward pass on a thread that never
 * ran one took 306–335 ms against 56–110 ms on a thread that had, with the same model after six warm-ups
 * on another thread, three fresh threads in a row (a probe in one JVM, session 16); libgomp, for one, makes
 * a team of worker threads for each thread that opens a parallel region. On the server's pool a sparse
 * function's calls, minutes apart, each found a new thread, and a pre-load's warm-ups warmed a thread the
 * bound function's first call did not use. OpenWhisk's Java runtime runs every request on one thread too.
 *
 * <p>The work is serial anyway ({@link ActionHost} holds its lock for each), so one thread costs nothing
 * in throughput. What the work throws reaches the caller unchanged.
 */
final class ActivationThread {

    // Anonymous classes, not lambdas: this is made on the start-up path (see the package comment).
    private final ExecutorService thread = Executors.newSingleThreadExecutor(new ThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "hearth-activation");
            t.setDaemon(true);
            return t;
        }
    });

    /** {@code route}, run on this thread instead of the caller's. */
    Route onIt(Route route) {
        return new Route() {
            @Override
            public Reply handle(JsonObject body) throws ProxyError {
                return call(route, body);
            }
        };
    }

    private Reply call(Route route, JsonObject body) throws ProxyError {
        Future<Reply> reply = thread.submit(new Callable<Reply>() {
            @Override
            public Reply call() throws ProxyError {
                return route.handle(body);
            }
        });
        try {
            return waitFor(reply);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ProxyError p) {
                throw p;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Waits for the work even when interrupted (it holds the action's lock; the caller's answer needs it). */
    private static Reply waitFor(Future<Reply> reply) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return reply.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
