package dev.hearth.controller.web;

import dev.hearth.common.id.TransactionId;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** The one place where exceptions become HTTP responses, all with OpenWhisk's error body. */
@RestControllerAdvice
public class ErrorAdvice {
    private static final Logger log = LoggerFactory.getLogger(ErrorAdvice.class);
    private static final String UNEXPECTED = "There was an error processing your request.";

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ErrorBody> api(ApiException e, HttpServletRequest request) {
        return body(e.status(), e.getMessage(), request);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return body(
                HttpStatus.BAD_REQUEST,
                ApiException.MALFORMED + e.getMostSpecificCause().getMessage(),
                request);
    }

    @ExceptionHandler({MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class})
    ResponseEntity<ErrorBody> badParameter(Exception e, HttpServletRequest request) {
        String detail = e instanceof MethodArgumentTypeMismatchException m
                ? "The value '" + m.getValue() + "' is not valid for parameter '" + m.getName() + "'."
                : e.getMessage();
        return body(HttpStatus.BAD_REQUEST, detail, request);
    }

    @ExceptionHandler({NoResourceFoundException.class, NoHandlerFoundException.class})
    ResponseEntity<ErrorBody> noRoute(Exception e, HttpServletRequest request) {
        return body(HttpStatus.NOT_FOUND, ApiException.NOT_FOUND, request);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return body(
                HttpStatus.METHOD_NOT_ALLOWED,
                "HTTP method not allowed, supported methods: "
                        + String.join(", ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()),
                request);
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ErrorBody> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type is not supported.", request);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request) {
        return body(
                HttpStatus.NOT_ACCEPTABLE,
                "Resource representation is only available with these types:\n" + "application/json",
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception e, HttpServletRequest request) {
        return unexpectedError(e, request);
    }

    /**
     * The answer to {@code e} thrown by what is served outside Spring MVC (the invocations): what the
     * handlers above answer, an {@link ApiException} with its status and anything else as a 500.
     *
     * @param tid    the request's transaction id, the body's {@code code}
     * @param method and {@code path}: the request's, for the log of an unexpected error
     */
    public static ResponseEntity<ErrorBody> answer(Exception e, TransactionId tid, String method, String path) {
        if (e instanceof ApiException api) {
            return body(api.status(), api.getMessage(), tid);
        }
        log.error("[{}] unexpected error on {} {}", tid, method, path, e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, UNEXPECTED, tid);
    }

    private static ResponseEntity<ErrorBody> unexpectedError(Exception e, HttpServletRequest request) {
        return answer(e, TransactionIdFilter.of(request), request.getMethod(), request.getRequestURI());
    }

    static ResponseEntity<ErrorBody> body(HttpStatus status, String message, HttpServletRequest request) {
        return body(status, message, TransactionIdFilter.of(request));
    }

    private static ResponseEntity<ErrorBody> body(HttpStatus status, String message, TransactionId tid) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorBody(message, tid.value()));
    }
}
