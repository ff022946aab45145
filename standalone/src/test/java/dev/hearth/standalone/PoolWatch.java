package dev.hearth.standalone;

import java.time.Duration;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** Reads an invoker's container pool ({@code GET /invoker/containers}) and waits for a container in it. */
final class PoolWatch {
    private final Api invoker;

    PoolWatch(Platform platform) {
        this.invoker = new Api("http://127.0.0.1:" + platform.invokerPort(), platform.guestKey());
    }

    JsonNode containers() {
        return invoker.get("/invoker/containers").json().path("containers");
    }

    /** Polls every {@code pollMs} until some container satisfies {@code test}; returns it. */
    JsonNode await(String what, Predicate<JsonNode> test, Duration timeout, long pollMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode c : containers()) {
                if (test.test(c)) {
                    return c;
                }
            }
            Thread.sleep(pollMs);
        }
        throw new AssertionError("no container " + what + " within " + timeout + ": " + containers());
    }
}
