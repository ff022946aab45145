package dev.hearth.invoker.pool;

import java.time.Instant;
import java.util.Set;

/**
 * A pooled container's lifecycle: {@link Starting} (process starting, memory reserved) →
 * {@link Busy} (one activation) → {@link Idle} (warm, initialised for {@code action}) → {@link Busy}
 * again, or {@link Removing} (evicted, idle too long, broken) → gone. Stem cells: {@link Prewarming}
 * (started ahead of demand for a kind and memory size) → {@link Prewarmed} (runtime and engine up, no
 * action; may hold pre-loaded models) → {@link Busy} when an activation takes it.
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

    record Prewarming(String kind, Instant since) implements ContainerState {
        public String label() {
            return "prewarming";
        }
    }

    /** @param preloaded digests of the model bundles pre-loaded into it */
    record Prewarmed(String kind, Instant since, Set<String> preloaded) implements ContainerState {
        public Prewarmed {
            preloaded = Set.copyOf(preloaded);
        }

        public String label() {
            return "prewarmed";
        }
    }

    record Removing(Instant since) implements ContainerState {
        public String label() {
            return "removing";
        }
    }
}
