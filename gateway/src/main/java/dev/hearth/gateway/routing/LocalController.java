package dev.hearth.gateway.routing;

import dev.hearth.common.id.TransactionId;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A controller in the gateway's own JVM that takes some requests as method calls (the standalone platform's
 * controller takes invocations). When the gateway's context holds one, {@link ControllerProxy} hands it each
 * request it {@linkplain #takes takes} whose body is of known length and small enough to be read whole,
 * instead of sending it over loopback HTTP; everything else goes to the controllers over HTTP as before.
 */
public interface LocalController {

    /** Whether a request with this method and raw path (not decoded, no query) is taken as a call. */
    boolean takes(String method, String rawPath);

    /**
     * Answers a request; the stage completes off the caller's thread (the gateway calls from its event loop,
     * which must not wait). Never completes exceptionally for a bad request: that is an answer.
     */
    CompletionStage<Reply> call(Call call);

    /**
     * A request as the controller needs it.
     *
     * @param rawPath       as it came, not decoded
     * @param rawQuery      as it came, or null
     * @param authorization the {@code Authorization} header, or null
     * @param id            the transaction id the gateway settled
     * @param body          the whole body
     */
    record Call(String rawPath, String rawQuery, String authorization, TransactionId id, byte[] body) {}

    /**
     * An answer: its status, its end-to-end headers (the gateway adds the transaction id, the length and the
     * date), its whole body.
     */
    record Reply(int status, Map<String, String> headers, byte[] body) {}
}
