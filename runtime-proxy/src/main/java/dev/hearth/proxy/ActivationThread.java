package dev.hearth.proxy;

import com.google.gson.JsonObject;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one long-lived thread on which the proxy does an action's work: {@code /engine}, {@code /preload},
 * {@code /offload}, {@code /init} and {@code /run}.
 *
 * <p>Why one thread: native libraries keep state per calling thread. A ResNet-50 forward pass on a thread
 * that never ran one took 306–335 ms against 56–110 ms on a thread that had, with the same model after six
 * warm-ups on another thread, three fresh threads in a row (a probe in one JVM, session 16); libgomp, for
 * one, makes a team of worker threads for each thread that opens a parallel region. On a pool a sparse
 * function's calls, minutes apart, each found a new thread, and a pre-load's warm-ups warmed a thread the
 * bound function's first call did not use. OpenWhisk's Java runtime runs every request on one thread too.
 *
 * <p>Why the whole exchange runs here when it can: the HTTP server hands each exchange to
 * {@link #serverExecutor}, which gives it to this thread whenever nothing is pending on it, so an idle
 * container's {@code /run} is read, parsed, computed and answered on this one thread: one hand-off from the
 * server's dispatcher, where a pool thread that parsed, handed over and waited for the answer took three
 * (each a wake-up of a parked thread, which costs on these virtual machines). {@code bench/proxy-ab}, a
 * warm ResNet-18 container against one with the pool's three hand-offs, same run: 0.49 and 0.24 ms less
 * at p50 (medians of 5 and 7 runs, 11 of the 12 runs faster), the container 0.9–1.2 ms over {@code predict}
 * in a plain JVM. An exchange that arrives while this thread is busy ({@code /stats} during a run, a second
 * call) goes to the other executor, whose work routes then hand over to this thread and wait
 * ({@link #onIt}), so {@code /stats} still answers during a run.
 *
 * <p>The work is serial anyway ({@link ActionHost} holds its lock for each), so one thread costs nothing
 * in throughput. What the work throws reaches the caller unchanged.
 */
final class ActivationThread {

    private volatile Thread owner;

    // Anonymous classes, not lambdas: this is made on the start-up path (see the package comment).
    private final ExecutorService thread = Executors.newSingleThreadExecutor(new ThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "hearth-activation");
            t.setDaemon(true);
            owner = t;
            return t;
        }
    });

    /** Tasks given to this thread and not yet finished. */
    private final AtomicInteger pending = new AtomicInteger();

    /**
     * The HTTP server's executor: an exchange runs on this thread when nothing is pending on it, else on
     * {@code others}.
     */
    Executor serverExecutor(Executor others) {
        return new Executor() {
            @Override
            public void execute(Runnable exchange) {
                if (pending.compareAndSet(0, 1)) {
                    thread.execute(new Runnable() {
                        @Override
                        public void run() {
                            try {
                                exchange.run();
                            } finally {
                                pending.decrementAndGet();
                            }
                        }
                    });
                } else {
                    others.execute(exchange);
                }
            }
        };
    }

    /** Nothing given to this thread is unfinished (an exchange arriving now would run on it). */
    boolean idle() {
        return pending.get() == 0;
    }

    /** {@code route}, run on this thread: at once when called on it, else handed over and waited for. */
    Route onIt(Route route) {
        return new Route() {
            @Override
            public Reply handle(JsonObject body) throws ProxyError {
                return Thread.currentThread() == owner ? route.handle(body) : call(route, body);
            }
        };
    }

    private Reply call(Route route, JsonObject body) throws ProxyError {
        pending.incrementAndGet();
        Future<Reply> reply = thread.submit(new Callable<Reply>() {
            @Override
            public Reply call() throws ProxyError {
                try {
                    return route.handle(body);
                } finally {
                    pending.decrementAndGet();
                }
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
