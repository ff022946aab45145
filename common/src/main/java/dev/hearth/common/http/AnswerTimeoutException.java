package dev.hearth.common.http;

import java.io.IOException;

/**
 * The request was sent and the server did not answer within the time allowed: it has the request and
 * may still be working on it (unlike a failure to connect or to send, which is a plain {@link IOException}).
 */
public final class AnswerTimeoutException extends IOException {
    public AnswerTimeoutException(String message) {
        super(message);
    }
}
