package dev.hearth.common.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One JSON object or array kept as its UTF-8 text, for a hop that only passes it on: written into a
 * message byte for byte, and read out of one by slicing the message's bytes, so the hop neither builds
 * a tree of it nor writes it out again.
 *
 * <p>Why: an invocation's parameters cross the controller and the invoker on their way to the
 * container, and an image classifier's are one 164 KB base64 string. Jackson writes such a string at
 * ~2.5 ns a character (its escaping loop: 0.42–0.55 ms here) and parses it in ~0.13 ms; as trees the
 * parameters were parsed twice and written twice before the container parsed them once more.
 *
 * <p>Reading: when {@link #READ_FROM} names the byte array being parsed (see
 * {@link dev.hearth.common.message.Messages#decode}), the value's bytes are copied from the token's
 * offset to the parser's position after skipping it — the skip still checks the syntax, it only
 * builds no strings. Read from anything else (a tree, a stream), the value goes through a tree and is
 * written once. The text is trusted to be JSON only as far as its reader checked it: the controller
 * checks a request body before it makes one of these ({@code InvokeParameters}).
 */
@JsonSerialize(using = RawJson.Writer.class)
@JsonDeserialize(using = RawJson.Reader.class)
public final class RawJson {

    /** Attribute of a deserialization: the byte array the parser reads, offsets counted from 0. */
    public static final String READ_FROM = "hearth.raw-json.source";

    private static final RawJson EMPTY_OBJECT = new RawJson("{}".getBytes(StandardCharsets.UTF_8));

    private final byte[] utf8;

    private RawJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** {@code {}}. */
    public static RawJson emptyObject() {
        return EMPTY_OBJECT;
    }

    /** The tree's text. */
    public static RawJson of(JsonNode value) {
        return new RawJson(Json.toBytes(value));
    }

    /**
     * Bytes that hold one JSON object or array in UTF-8, already checked by the caller; kept, not
     * copied, so the caller must not change them.
     */
    public static RawJson trusted(byte[] utf8) {
        return new RawJson(utf8);
    }

    /** The value parsed; each call parses again. */
    public JsonNode tree() {
        return Json.mapper().readTree(utf8);
    }

    /** The number of bytes of the text. */
    public int size() {
        return utf8.length;
    }

    /** The text, as bytes; a copy. */
    public byte[] toBytes() {
        return utf8.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson other && Arrays.equals(utf8, other.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    @Override
    public String toString() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static final class Writer extends ValueSerializer<RawJson> {
        @Override
        public void serialize(RawJson value, JsonGenerator gen, SerializationContext ctxt) {
            gen.writeRawValue(new Utf8Text(value.utf8));
        }
    }

    static final class Reader extends ValueDeserializer<RawJson> {
        @Override
        public RawJson deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken token = p.currentToken();
            boolean structured = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
            if (structured && ctxt.getAttribute(READ_FROM) instanceof byte[] source) {
                long start = p.currentTokenLocation().getByteOffset();
                if (start >= 0
                        && start < source.length
                        && source[(int) start] == (token == JsonToken.START_OBJECT ? '{' : '[')) {
                    p.skipChildren();
                    long end = p.currentLocation().getByteOffset();
                    if (end > start && end <= source.length) {
                        return new RawJson(Arrays.copyOfRange(source, (int) start, (int) end));
                    }
                    throw new IllegalStateException(
                            "the parser's offsets (" + start + ".." + end + ") are not in the source's bytes");
                }
            }
            return of(ctxt.readTree(p));
        }
    }
}
