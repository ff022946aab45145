package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActivationThreadTest {

    private final ActivationThread work = new ActivationThread();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<String> givenToOthers = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Executor server() {
        return work.serverExecutor(exchange -> {
            givenToOthers.add("exchange");
            pool.execute(exchange);
        });
    }

    private static CompletableFuture<String> threadOf(Executor executor) {
        CompletableFuture<String> ran = new CompletableFuture<>();
        executor.execute(() -> ran.complete(Thread.currentThread().getName()));
        return ran;
    }

    @Test
    void anExchangeArrivingWhileTheThreadIsIdleRunsWhollyOnIt() throws Exception {
        Executor server = server();
        for (int i = 0; i < 3; i++) {
            assertThat(threadOf(server).get(5, TimeUnit.SECONDS)).isEqualTo("hearth-activation");
            awaitIdle(); // the exchange has answered; its task ends just after
        }
        assertThat(givenToOthers).as("no hand-off to another thread").isEmpty();
    }

    @Test
    void anExchangeArrivingWhileTheThreadIsBusyGoesToTheOthersSoStatsStillAnswer() throws Exception {
        Executor server = server();
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        server.execute(() -> {
            running.countDown();
            await(release);
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(threadOf(server).get(5, TimeUnit.SECONDS)).isNotEqualTo("hearth-activation");
        assertThat(givenToOthers).hasSize(1);
        release.countDown();
    }

    @Test
    void aWorkRouteCalledFromAnotherThreadIsHandedOverAndOnTheThreadRunsInPlace() throws Exception {
        List<String> ranOn = new CopyOnWriteArrayList<>();
        Route route = work.onIt(body -> {
            ranOn.add(Thread.currentThread().getName());
            return Reply.ok(new JsonObject());
        });
        pool.submit(() -> route.handle(new JsonObject())).get(5, TimeUnit.SECONDS);
        CompletableFuture<Reply> inPlace = new CompletableFuture<>();
        server().execute(() -> {
            try {
                inPlace.complete(route.handle(new JsonObject()));
            } catch (ProxyError e) {
                inPlace.completeExceptionally(e);
            }
        });
        inPlace.get(5, TimeUnit.SECONDS);

        assertThat(ranOn).containsExactly("hearth-activation", "hearth-activation");
    }

    @Test
    void whatTheWorkThrowsReachesTheCallerUnchanged() {
        Route failing = work.onIt(body -> {
            throw ProxyError.badRequest("nope");
        });
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        failing.handle(new JsonObject());
                        return null;
                    } catch (Throwable t) {
                        return t;
                    }
                },
                pool);
        assertThat(thrown.join()).isInstanceOf(ProxyError.class).hasMessage("nope");
    }

    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!work.idle() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
