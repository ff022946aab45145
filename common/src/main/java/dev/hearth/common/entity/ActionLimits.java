package dev.hearth.common.entity;

/**
 * An action's limits as OpenWhisk names them: {@code timeout} in milliseconds, {@code memory} and
 * {@code logs} in megabytes, {@code concurrency} activations at once per container. Ranges are
 * checked by the controller against its configuration; this record only refuses nonsense.
 */
public record ActionLimits(int timeout, int memory, int logs, int concurrency) {
    public static final ActionLimits DEFAULT = new ActionLimits(60_000, 256, 10, 1);

    public ActionLimits {
        if (timeout <= 0 || memory <= 0 || logs < 0 || concurrency <= 0) {
            throw new IllegalArgumentException("limits must be positive: timeout=" + timeout + " memory=" + memory
                    + " logs=" + logs + " concurrency=" + concurrency);
        }
    }
}
