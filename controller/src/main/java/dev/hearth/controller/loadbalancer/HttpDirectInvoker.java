package dev.hearth.controller.loadbalancer;

import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Messages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;

/**
 * {@link DirectInvoker} over {@link HttpURLConnection}: the calling (virtual) thread writes the request
 * and reads the answer itself, on a kept-alive connection, so a call adds no thread hand-off beyond the
 * socket's own wake-up (an asynchronous client adds a selector thread and an executor to both ways).
 * A timeout while connecting or writing is a failure (the activation goes through Kafka); a timeout while
 * waiting for the answer means the invoker has it and is still running it.
 */
public final class HttpDirectInvoker implements DirectInvoker {
    static final String PATH = "/invoker/activations";

    private final Duration connectTimeout;

    public HttpDirectInvoker(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Result call(URI endpoint, byte[] activationMessage, Duration wait) {
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) endpoint.resolve(PATH).toURL().openConnection();
            c.setConnectTimeout(millis(connectTimeout));
            c.setReadTimeout(millis(wait));
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(activationMessage.length);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("Accept", "application/json");
        } catch (IOException | IllegalArgumentException e) {
            return new Result.Failed("cannot call " + endpoint + ": " + e);
        }
        try {
            try (OutputStream out = c.getOutputStream()) {
                out.write(activationMessage);
            }
        } catch (IOException e) {
            c.disconnect();
            return new Result.Failed("cannot send to " + endpoint + ": " + e);
        }
        try {
            int status = c.getResponseCode();
            if (status == 200) {
                byte[] body;
                try (InputStream in = c.getInputStream()) {
                    body = in.readAllBytes();
                }
                return new Result.Completed(Messages.decode(body, CompletionMessage.class));
            }
            String error = drain(c);
            if (status == 409) {
                return new Result.AlreadyAccepted();
            }
            return new Result.Failed(endpoint + " answered " + status + ": " + error);
        } catch (SocketTimeoutException e) {
            c.disconnect(); // the answer may still come: this connection cannot be reused
            return new Result.TimedOut();
        } catch (IOException | Messages.MalformedMessageException e) {
            c.disconnect();
            return new Result.Failed("no answer from " + endpoint + ": " + e);
        }
    }

    /** Reads an error body to its end, so the connection can be kept alive. */
    private static String drain(HttpURLConnection c) throws IOException {
        try (InputStream in = c.getErrorStream()) {
            return in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}
