package dev.hearth.controller.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Spring Boot's {@code /error} page for what never reaches a handler (a request the server
 * rejects before dispatch), so even those answers have OpenWhisk's error body.
 */
@RestController
public class OpenWhiskErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.valueOf(i)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        String message = switch (status) {
            case NOT_FOUND -> ApiException.NOT_FOUND;
            case FORBIDDEN -> ApiException.FORBIDDEN;
            case INTERNAL_SERVER_ERROR -> "There was an error processing your request.";
            default -> status.getReasonPhrase();
        };
        return ErrorAdvice.body(status, message, request);
    }
}
