package dev.hearth.common.entity;

import dev.hearth.common.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * The {@code response} of an activation record, in OpenWhisk's shape. {@code statusCode}: 0 success,
 * 1 application error (the action returned an error), 2 action developer error (the action failed
 * to run: bad code, time limit, crash), 3 whisk internal error (the platform failed).
 */
public record ActivationResponse(String status, int statusCode, boolean success, JsonNode result) {
    public static final int SUCCESS = 0;
    public static final int APPLICATION_ERROR = 1;
    public static final int DEVELOPER_ERROR = 2;
    public static final int WHISK_ERROR = 3;

    public ActivationResponse {
        if (statusCode < SUCCESS || statusCode > WHISK_ERROR) {
            throw new IllegalArgumentException("statusCode must be 0..3: " + statusCode);
        }
    }

    public static ActivationResponse success(JsonNode result) {
        return new ActivationResponse("success", SUCCESS, true, result);
    }

    public static ActivationResponse applicationError(JsonNode result) {
        return new ActivationResponse("application error", APPLICATION_ERROR, false, result);
    }

    public static ActivationResponse developerError(String message) {
        return new ActivationResponse("action developer error", DEVELOPER_ERROR, false, errorBody(message));
    }

    public static ActivationResponse whiskError(String message) {
        return new ActivationResponse("whisk internal error", WHISK_ERROR, false, errorBody(message));
    }

    private static JsonNode errorBody(String message) {
        return Json.object().put("error", message);
    }
}
