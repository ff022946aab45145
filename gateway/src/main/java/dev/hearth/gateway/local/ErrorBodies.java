package dev.hearth.gateway.local;

import java.nio.charset.StandardCharsets;

/**
 * OpenWhisk's error body, {@code {"error": "...", "code": "<transaction id>"}}, and the texts of the errors
 * the gateway answers itself. Both ways the gateway answers use it: {@link OpenWhiskErrorHandler} for what
 * WebFlux serves, and the controller route for "no controller answered".
 */
public final class ErrorBodies {
    public static final String UNAVAILABLE = "The service is temporarily unavailable: no controller answered.";
    static final String NOT_FOUND = "The requested resource does not exist.";
    static final String METHOD_NOT_ALLOWED = "Method not allowed.";
    static final String INTERNAL = "An internal error occurred.";

    private ErrorBodies() {}

    /** The body for {@code message} (no JSON specials in it) and the transaction id {@code code}. */
    public static byte[] json(String message, String code) {
        return ("{\"error\":\"" + message + "\",\"code\":\"" + code + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
