package dev.hearth.model.bundle;

/**
 * A model bundle that cannot be deployed: not a zip, no manifest, an unknown architecture or
 * adapter, parameters that do not fit the block. The message says what is wrong in words a user
 * can act on; the controller answers 400 with it.
 */
public final class InvalidBundleException extends Exception {
    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
