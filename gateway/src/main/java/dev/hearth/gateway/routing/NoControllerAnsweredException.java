package dev.hearth.gateway.routing;

/**
 * No controller gave response headers: every connect was refused or timed out, the response timed
 * out, the connection broke, or the circuit is open. Rendered as 503 with OpenWhisk's error body.
 */
public final class NoControllerAnsweredException extends RuntimeException {

    public NoControllerAnsweredException(Throwable cause) {
        super("no controller answered: " + cause, cause);
    }
}
