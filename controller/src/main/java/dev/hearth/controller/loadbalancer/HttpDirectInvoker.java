package dev.hearth.controller.loadbalancer;

import dev.hearth.common.http.AnswerTimeoutException;
import dev.hearth.common.http.HttpReply;
import dev.hearth.common.http.KeptAliveHttp;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.Messages;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@link DirectInvoker} over {@link KeptAliveHttp}: the calling (virtual) thread writes the request and
 * reads the answer itself, on a kept-alive connection with {@code TCP_NODELAY}, so a call adds no thread
 * hand-off beyond the socket's own wake-up (an asynchronous client adds a selector thread and an executor
 * to both ways; {@code HttpURLConnection}, used here before, sent the body after the head in a second
 * segment that waited for the invoker to acknowledge the first).
 * A failure to connect or to send is a failure (the activation goes through Kafka); no answer within the
 * wait means the invoker has it and is still running it. The one resend {@link KeptAliveHttp} makes on
 * a connection the invoker had closed is answered 409 if the invoker had read the first.
 */
public final class HttpDirectInvoker implements DirectInvoker {
    static final String PATH = "/invoker/activations";

    private final KeptAliveHttp http;

    public HttpDirectInvoker(Duration connectTimeout) {
        this.http = new KeptAliveHttp(connectTimeout);
    }

    @Override
    public Result call(URI endpoint, ActivationMessage message, Duration wait) {
        String host = endpoint.getHost();
        int port = endpoint.getPort() < 0 ? 80 : endpoint.getPort();
        if (host == null || !"http".equals(endpoint.getScheme())) {
            return new Result.Failed("cannot call " + endpoint + ": not an http://host:port address");
        }
        HttpReply reply;
        try {
            reply = http.post(host, port, PATH, "application/json", Messages.encode(message), wait);
        } catch (AnswerTimeoutException e) {
            return new Result.TimedOut();
        } catch (IOException e) {
            return new Result.Failed("no answer from " + endpoint + ": " + e);
        }
        if (reply.status() == 200) {
            try {
                return new Result.Completed(Messages.decode(reply.body(), CompletionMessage.class));
            } catch (Messages.MalformedMessageException e) {
                return new Result.Failed("no completion from " + endpoint + ": " + e);
            }
        }
        if (reply.status() == 409) {
            return new Result.AlreadyAccepted();
        }
        return new Result.Failed(
                endpoint + " answered " + reply.status() + ": " + new String(reply.body(), StandardCharsets.UTF_8));
    }
}
