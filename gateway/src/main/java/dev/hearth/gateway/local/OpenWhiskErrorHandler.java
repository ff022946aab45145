package dev.hearth.gateway.local;

import dev.hearth.common.id.TransactionId;
import dev.hearth.gateway.txid.TransactionIds;
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
 * Where errors of what WebFlux serves (everything but {@code /api}: {@code /ping}, health, unknown paths)
 * become HTTP responses: OpenWhisk's {@code {"error": "...", "code": "<transaction id>"}}
 * ({@link ErrorBodies}) with the matching status. Ordered before Spring Boot's default handler, which
 * therefore never renders its own error JSON. The controller route answers its one error, 503 when no
 * controller answered, with the same body.
 */
@Component
@Order(-2)
class OpenWhiskErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(OpenWhiskErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        HttpStatusCode status;
        String message;
        if (ex instanceof ResponseStatusException rse) {
            status = rse.getStatusCode();
            message = messageFor(status);
        } else {
            log.error(
                    "unexpected error on {} {}",
                    exchange.getRequest().getMethod(),
                    exchange.getRequest().getPath(),
                    ex);
            status = HttpStatus.INTERNAL_SERVER_ERROR;
            message = ErrorBodies.INTERNAL;
        }
        String code = TransactionIds.of(exchange).map(TransactionId::value).orElse("");
        byte[] body = ErrorBodies.json(message, code);
        response.setStatusCode(status);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        response.getHeaders().setContentLength(body.length);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** OpenWhisk's wording where it has one, else the reason phrase. Messages contain no JSON specials. */
    static String messageFor(HttpStatusCode status) {
        if (status.value() == 404) {
            return ErrorBodies.NOT_FOUND;
        }
        if (status.value() == 405) {
            return ErrorBodies.METHOD_NOT_ALLOWED;
        }
        if (status.is5xxServerError()) {
            return ErrorBodies.INTERNAL;
        }
        HttpStatus known = HttpStatus.resolve(status.value());
        return known == null ? "Error " + status.value() + "." : known.getReasonPhrase() + ".";
    }
}
