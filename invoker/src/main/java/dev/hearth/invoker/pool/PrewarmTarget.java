package dev.hearth.invoker.pool;

/** How many stem cells of a kind and memory size the pool keeps ready ({@code hearth.invoker.prewarm}). */
public record PrewarmTarget(String kind, int memoryMb, int count) {
    public PrewarmTarget {
        if (kind == null || kind.isBlank() || memoryMb <= 0 || count < 0) {
            throw new IllegalArgumentException("a pre-warm target needs a kind, memory > 0 and count >= 0: " + kind
                    + " " + memoryMb + " " + count);
        }
    }
}
