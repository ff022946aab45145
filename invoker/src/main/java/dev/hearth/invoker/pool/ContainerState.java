package dev.hearth.invoker.pool;

import java.time.Instant;

/**
 * A pooled container's lifecycle: {@link Starting} (process starting, memory reserved) →
 * {@link Busy} (one activation) → {@link Idle} (warm, initialised for {@code action}) → {@link Busy}
 * again, or {@link Removing} (evicted, idle too long, broken) → gone. A later issue adds paused and
 * pre-warmed states.
 */
public sealed interface ContainerState {
    /** The name used in health pings and the containers listing. */
    String label();

    record Starting(ActionKey action, Instant since) implements ContainerState {
        public String label() {
            return "starting";
        }
    }

    record Busy(ActionKey action, Instant since, String activationId) implements ContainerState {
        public String label() {
            return "busy";
        }
    }

    record Idle(ActionKey action, Instant lastUsed) implements ContainerState {
        public String label() {
            return "warm";
        }
    }

    record Removing(Instant since) implements ContainerState {
        public String label() {
            return "removing";
        }
    }
}
