package dev.hearth.proxy;

/**
 * A request the proxy refuses, with the HTTP status to answer; {@link Router} turns it into OpenWhisk's
 * {@code {"error": message}} body. The only exception type handlers throw on purpose.
 */
final class ProxyError extends Exception {

    private final int status;

    ProxyError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    ProxyError(int status, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }

    static ProxyError badRequest(String message) {
        return new ProxyError(400, message);
    }

    /** A developer error: the action's code or its init parameters are wrong (OpenWhisk uses 502). */
    static ProxyError badAction(String message) {
        return new ProxyError(502, message);
    }

    static ProxyError badAction(String message, Throwable cause) {
        return new ProxyError(502, message, cause);
    }
}
