package dev.hearth.cli.api;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import java.util.Optional;

/**
 * One HTTP response from the API.
 *
 * @param status HTTP status code
 * @param body the body as text (may be empty)
 * @param activationIdHeader the {@code x-openwhisk-activation-id} header, or null
 */
public record ApiResponse(int status, String body, String activationIdHeader) {

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /** The body as JSON; a {@link CliException} when the server did not send JSON. */
    public JsonElement json() {
        try {
            JsonElement json = Json.parse(body);
            if (json == null || json.isJsonNull()) {
                throw new JsonParseException("empty body");
            }
            return json;
        } catch (JsonParseException notJson) {
            throw new CliException(
                    "the server answered HTTP " + status + " with a body that is not JSON: " + abbreviate(body),
                    CliException.FAILURE);
        }
    }

    /** The body as a JSON object, when it is one. */
    public Optional<JsonObject> jsonObject() {
        try {
            JsonElement json = Json.parse(body);
            return json != null && json.isJsonObject() ? Optional.of(json.getAsJsonObject()) : Optional.empty();
        } catch (JsonParseException notJson) {
            return Optional.empty();
        }
    }

    /** This response if it is a 2xx, else the server's error as a {@link CliException}. */
    public ApiResponse requireSuccess() {
        if (!isSuccess()) {
            throw error();
        }
        return this;
    }

    /**
     * The server's error: {@code <error> (code <code>)} from an OpenWhisk error body, else the status
     * and the start of the body.
     */
    public CliException error() {
        Optional<JsonObject> object = jsonObject();
        Optional<String> error = object.flatMap(o -> Json.string(o, "error"));
        if (error.isPresent()) {
            Optional<String> code = object.flatMap(o -> Json.string(o, "code"));
            return new CliException(
                    error.get() + code.map(c -> " (code " + c + ")").orElse(""), CliException.FAILURE);
        }
        String detail = body.isBlank() ? "" : ": " + abbreviate(body);
        return new CliException("the server answered HTTP " + status + detail, CliException.FAILURE);
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
