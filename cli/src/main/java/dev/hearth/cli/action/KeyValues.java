package dev.hearth.cli.action;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.hearth.cli.CliException;
import dev.hearth.cli.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Parameters and annotations as wsk takes them: a JSON object file ({@code --param-file}) first,
 * then {@code -p KEY VALUE} pairs in order, later keys replacing earlier ones. A value is used as
 * JSON when it parses as strict JSON ({@code 5}, {@code true}, {@code "x"}, {@code {"a":1}}), else
 * as a string ({@code hello}, {@code hello world}).
 */
public final class KeyValues {
    private KeyValues() {}

    /** One value as wsk reads it. */
    public static JsonElement value(String text) {
        return Json.parseStrict(text).orElseGet(() -> new JsonPrimitive(text));
    }

    /**
     * @param file a JSON object file, or null
     * @param pairs flattened {@code KEY VALUE} pairs as picocli collects them, or null
     * @return the merged object, keys in the order first given
     */
    public static JsonObject object(Path file, List<String> pairs) {
        JsonObject merged = new JsonObject();
        if (file != null) {
            readFile(file).entrySet().forEach(e -> merged.add(e.getKey(), e.getValue()));
        }
        if (pairs != null) {
            for (int i = 0; i + 1 < pairs.size(); i += 2) {
                merged.add(pairs.get(i), value(pairs.get(i + 1)));
            }
        }
        return merged;
    }

    /** The same as {@link #object} in OpenWhisk's {@code [{"key","value"}]} form. */
    public static JsonArray array(Path file, List<String> pairs) {
        JsonArray array = new JsonArray();
        for (Map.Entry<String, JsonElement> e : object(file, pairs).entrySet()) {
            JsonObject entry = new JsonObject();
            entry.addProperty("key", e.getKey());
            entry.add("value", e.getValue());
            array.add(entry);
        }
        return array;
    }

    private static JsonObject readFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException unreadable) {
            throw CliException.usage("cannot read " + file + ": " + unreadable.getMessage());
        }
        return Json.parseStrict(text.strip())
                .filter(JsonElement::isJsonObject)
                .map(JsonElement::getAsJsonObject)
                .orElseThrow(() -> CliException.usage(file + " must hold a JSON object"));
    }
}
