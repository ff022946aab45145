package dev.hearth.common.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP answer as {@link KeptAliveHttp} read it: the status, the headers (names in lower case, the
 * last value of a repeated header), and the whole body.
 */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    public HttpReply {
        headers = Map.copyOf(headers);
    }

    /** The value of the header {@code name} (any case), if the answer had it. */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }
}
