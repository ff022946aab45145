package dev.hearth.proxy.http;

/**
 * A request the server cannot read (malformed, too large, an unsupported transfer coding): answered with
 * {@code status} through {@link Handler#refuse}, and the connection closed, since where the next request
 * would begin is unknown.
 */
public final class HttpError extends Exception {

    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
