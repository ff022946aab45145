package dev.hearth.gateway.local;

import dev.hearth.common.id.TransactionId;
import dev.hearth.gateway.routing.NoControllerAnsweredException;
import dev.hearth.gateway.txid.TransactionIds;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place where errors become HTTP responses: OpenWhisk's
 * {@code {"error": "...", "code": "<transaction id>"}} with the matching status. Ordered before
 * Spring Boot's default handler, which therefore never renders its own error JSON.
 */
@Component
@Order(-2)
class OpenWhiskErrorHandler implements ErrorWebExceptionHandler {

    static final String UNAVAILABLE = "The service is temporarily unavailable: no controller answered.";
    static final String NOT_FOUND = "The requested resource does not exist.";
    static final String METHOD_NOT_ALLOWED = "Method not allowed.";
    static final String INTERNAL = "An internal error occurred.";

    private static final Logger log = LoggerFactory.getLogger(OpenWhiskErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        HttpStatusCode status;
        String message;
        if (ex instanceof NoControllerAnsweredException) {
            status = HttpStatus.SERVICE_UNAVAILABLE;
            message = UNAVAILABLE;
        } else if (ex instanceof ResponseStatusException rse) {
            status = rse.getStatusCode();
            message = messageFor(status);
        } else {
            log.error(
                    "unexpected error on {} {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    ex);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            message = INTERNAL;
        }
        String code = TransactionIds.of(exchange).map(TransactionId::value).orElse("");
        byte[] body = ("{\"error\":\"" + message + "\",\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** OpenWhisk's wording where it has one, else the reason phrase. Messages contain no JSON specials. */
    static String messageFor(HttpStatusCode status) {
        if (status.value() == 404) {
            return NOT_FOUND;
        }
        if (status.value() == 405) {
            return METHOD_NOT_ALLOWED;
        }
        if (status.is5xxServerError()) {
            return INTERNAL;
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "Error " + status.value() + "." : known.getReasonPhrase() + ".";
    }
}
