package dev.hearth.invoker.artifact;

/** Action code could not be had: missing from the store, corrupt, or not writable to disk. */
public final class ArtifactException extends Exception {
    public ArtifactException(String message) {
        super(message);
    }

    public ArtifactException(String message, Throwable cause) {
        super(message, cause);
    }
}
