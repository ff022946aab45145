package dev.hearth.model.adapter;

/**
 * A prediction request the model cannot take: a missing field, a wrong shape or dtype, an image that
 * does not decode. The message names what the model expects (e.g. {@code input 'x' has shape [1,3]
 * but the model expects [-1,784] (float32)}); the proxy answers 502 with it.
 */
public final class BadInputException extends Exception {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
