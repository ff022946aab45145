package dev.hearth.cli;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;

/** JSON helpers: wsk-style pretty printing (4 spaces) and strict parsing of user input. */
public final class Json {
    private static final Gson PRETTY = new GsonBuilder()
            .setFormattingStyle(FormattingStyle.PRETTY.withIndent("    "))
            .disableHtmlEscaping()
            .serializeNulls()
            .create();
    private static final Gson COMPACT =
            new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final TypeAdapter<JsonElement> ELEMENTS = COMPACT.getAdapter(JsonElement.class);

    private Json() {}

    public static String pretty(JsonElement json) {
        return PRETTY.toJson(json);
    }

    public static String compact(JsonElement json) {
        return COMPACT.toJson(json);
    }

    /** Parses a server body; throws {@link JsonParseException} when it is not JSON. */
    public static JsonElement parse(String text) {
        return JsonParser.parseString(text);
    }

    /**
     * Parses text as one strict RFC 8259 JSON value (no unquoted strings, nothing after it); empty
     * when it is not. {@code 5} and {@code "x"} parse, {@code hello} and {@code 5 6} do not.
     */
    public static Optional<JsonElement> parseStrict(String text) {
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement value = ELEMENTS.read(reader);
            if (value == null || reader.peek() != JsonToken.END_DOCUMENT) {
                return Optional.empty();
            }
            return Optional.of(value);
        } catch (IOException | RuntimeException notJson) {
            return Optional.empty();
        }
    }

    /** {@code object.get(member)} as an object, or empty. */
    public static Optional<JsonObject> object(JsonObject object, String member) {
        JsonElement e = object == null ? null : object.get(member);
        return e != null && e.isJsonObject() ? Optional.of(e.getAsJsonObject()) : Optional.empty();
    }

    /** {@code object.get(member)} as an array, or an empty array. */
    public static JsonArray array(JsonObject object, String member) {
        JsonElement e = object == null ? null : object.get(member);
        return e != null && e.isJsonArray() ? e.getAsJsonArray() : new JsonArray();
    }

    /** {@code object.get(member)} as a string (primitives only), or empty. */
    public static Optional<String> string(JsonObject object, String member) {
        JsonElement e = object == null ? null : object.get(member);
        return e != null && e.isJsonPrimitive() ? Optional.of(e.getAsString()) : Optional.empty();
    }

    /** {@code object.get(member)} as a long, or empty. */
    public static Optional<Long> number(JsonObject object, String member) {
        JsonElement e = object == null ? null : object.get(member);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return Optional.empty();
        }
        return Optional.of(e.getAsLong());
    }

    /** The value of the {@code {"key","value"}} entry named {@code key} in an annotations array. */
    public static Optional<JsonElement> annotation(JsonObject entity, String key) {
        for (JsonElement e : array(entity, "annotations")) {
            if (e.isJsonObject()
                    && string(e.getAsJsonObject(), "key").filter(key::equals).isPresent()) {
                return Optional.ofNullable(e.getAsJsonObject().get("value"));
            }
        }
        return Optional.empty();
    }
}
