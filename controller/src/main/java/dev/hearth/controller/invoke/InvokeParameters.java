package dev.hearth.controller.invoke;

import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.controller.web.ApiException;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An invocation's parameters: the request body, checked to be one JSON object, and the names of its
 * members; merged under the action's default parameters into the activation's content.
 *
 * <p>The body is not made into a tree. {@link #read} runs a streaming parser over it that skips every
 * member's value (checking its syntax, building no strings) and keeps the object's first and last
 * byte and the members' names. {@link #under} then writes the defaults the body does not name with
 * Jackson and copies the body's members after them as bytes; with no defaults the content is the
 * body itself. Members keep their text, duplicates included (the container's parser keeps the last,
 * as a tree would have). A body that does not start, after blanks, with a UTF-8 <code>{</code> (a byte-order
 * mark, UTF-16 or UTF-32, or not an object at all) goes through a tree instead, which either refuses it or
 * writes it out as UTF-8.
 *
 * <p>Why: an image classifier's parameters are one 164 KB string; a tree cost the controller a parse
 * (~0.13 ms) and a write (~0.5 ms) of it on every call. Public for {@code bench/param-passing}.
 */
public final class InvokeParameters {
    static final String NOT_AN_OBJECT = "The parameters must be a JSON object.";

    private final byte[] text;
    private final int start;
    private final int end;
    private final Set<String> names;

    private InvokeParameters(byte[] text, int start, int end, Set<String> names) {
        this.text = text;
        this.start = start;
        this.end = end;
        this.names = names;
    }

    /** No parameters: an empty or blank body. */
    static InvokeParameters none() {
        return new InvokeParameters(new byte[] {'{', '}'}, 0, 2, Set.of());
    }

    /**
     * The body's parameters; an empty or blank body has none. Not JSON, or JSON but not an object:
     * OpenWhisk's malformed-request 400 (the latter saying {@value #NOT_AN_OBJECT}).
     */
    public static InvokeParameters read(byte[] body) {
        int first = firstNonBlank(body);
        if (first < 0) {
            return none();
        }
        if (body[first] != '{') {
            return fromTree(body);
        }
        Set<String> names = new HashSet<>();
        try (JsonParser p = Json.mapper().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.BadRequest.malformed(NOT_AN_OBJECT);
            }
            long start = p.currentTokenLocation().getByteOffset();
            if (start < 0) {
                return fromTree(body); // read as characters: UTF-16 or UTF-32 that starts with {
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
                if (t != JsonToken.PROPERTY_NAME) { // the parser throws first; this keeps the loop finite
                    throw ApiException.BadRequest.malformed("The parameters' object is not complete.");
                }
                names.add(p.currentName());
                p.nextToken();
                p.skipChildren();
            }
            int end = (int) p.currentLocation().getByteOffset();
            if (p.nextToken() != null) {
                throw ApiException.BadRequest.malformed("Unexpected content after the parameters' object.");
            }
            return new InvokeParameters(body, (int) start, end, names);
        } catch (JacksonException e) {
            throw ApiException.BadRequest.malformed(e.getOriginalMessage());
        }
    }

    /** The activation's content: the action's {@code defaults}, each unless the body names it, then the body's members. */
    public RawJson under(List<KeyValue> defaults) {
        ObjectNode kept = Json.object();
        for (KeyValue d : defaults) {
            if (!names.contains(d.key())) {
                kept.set(d.key(), d.value());
            }
        }
        if (kept.isEmpty()) {
            return RawJson.trusted(start == 0 && end == text.length ? text : Arrays.copyOfRange(text, start, end));
        }
        byte[] head = Json.toBytes(kept); // {"a":1,"b":2}
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + (end - start));
        out.write(head, 0, head.length - 1);
        if (!names.isEmpty()) {
            out.write(',');
            out.write(text, start + 1, end - start - 1); // the members and the closing brace
        } else {
            out.write('}');
        }
        return RawJson.trusted(out.toByteArray());
    }

    private static InvokeParameters fromTree(byte[] body) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw ApiException.BadRequest.malformed(e.getOriginalMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            return none();
        }
        if (!tree.isObject()) {
            throw ApiException.BadRequest.malformed(NOT_AN_OBJECT);
        }
        Set<String> names = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.properties().iterator(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        byte[] text = Json.toBytes(tree);
        return new InvokeParameters(text, 0, text.length, names);
    }

    private static int firstNonBlank(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
        }
        return -1;
    }
}
