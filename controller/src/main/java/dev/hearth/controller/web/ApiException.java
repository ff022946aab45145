package dev.hearth.controller.web;

import org.springframework.http.HttpStatus;

/**
 * The errors services throw; {@link ErrorAdvice} turns each into its status and OpenWhisk's body
 * {@code {"error": message, "code": transaction id}}. Services never build error responses themselves.
 */
public abstract sealed class ApiException extends RuntimeException {
    /** OpenWhisk's standard texts. */
    public static final String NOT_FOUND = "The requested resource does not exist.";

    public static final String FORBIDDEN = "The supplied authentication is not authorized to access this resource.";
    public static final String AUTH_MISSING =
            "The resource requires authentication, which was not supplied with the request";
    public static final String AUTH_INVALID = "The supplied authentication is invalid";
    public static final String CONFLICT = "resource already exists";
    public static final String MALFORMED = "The request content was malformed:\n";

    private final HttpStatus status;

    protected ApiException(HttpStatus status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    /** 404. */
    public static final class NotFound extends ApiException {
        public NotFound() {
            this(NOT_FOUND);
        }

        public NotFound(String message) {
            super(HttpStatus.NOT_FOUND, message);
        }
    }

    /** 409. */
    public static final class Conflict extends ApiException {
        public Conflict(String message) {
            super(HttpStatus.CONFLICT, message);
        }
    }

    /** 403. */
    public static final class Forbidden extends ApiException {
        public Forbidden() {
            super(HttpStatus.FORBIDDEN, FORBIDDEN);
        }
    }

    /** 401. */
    public static final class Unauthorized extends ApiException {
        public Unauthorized(String message) {
            super(HttpStatus.UNAUTHORIZED, message);
        }
    }

    /** 400. */
    public static final class BadRequest extends ApiException {
        public BadRequest(String message) {
            super(HttpStatus.BAD_REQUEST, message);
        }

        /** OpenWhisk's "The request content was malformed:\n{detail}". */
        public static BadRequest malformed(String detail) {
            return new BadRequest(MALFORMED + detail);
        }
    }

    /** 413, with OpenWhisk's "{what} larger than allowed: {is} > {allowed} bytes." */
    public static final class TooLarge extends ApiException {
        public TooLarge(String what, long size, long allowed) {
            super(HttpStatus.CONTENT_TOO_LARGE, what + " larger than allowed: " + size + " > " + allowed + " bytes.");
        }
    }

    /** 429. */
    public static final class Throttled extends ApiException {
        public Throttled(String message) {
            super(HttpStatus.TOO_MANY_REQUESTS, message);
        }
    }

    /** 503. */
    public static final class Unavailable extends ApiException {
        public Unavailable(String message) {
            super(HttpStatus.SERVICE_UNAVAILABLE, message);
        }
    }
}
