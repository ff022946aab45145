package dev.hearth.invoker.pool;

/**
 * What a warm container is initialised with: the action's path ({@code ns/name}), its version and
 * the digest of its code. A container serves only requests with an equal key.
 */
public record ActionKey(String path, String version, String digest) {
    public ActionKey {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("an action key needs a path");
        }
    }
}
