package dev.hearth.common.message;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;

/** Encodes messages as JSON bytes and decodes them, refusing an unknown schema version. */
public final class Messages {
    private Messages() {}

    public static byte[] encode(Message message) {
        return Json.toBytes(message);
    }

    /**
     * Reads the message straight from its bytes (a {@link RawJson} field is sliced out of them, not
     * parsed into a tree). A message of another schema may not have this one's fields, so when the
     * schema differs — or the reading fails and the schema turns out to differ — the schema is what
     * the refusal names.
     */
    public static <T extends Message> T decode(byte[] bytes, Class<T> type) {
        T message;
        try {
            message = Json.mapper()
                    .readerFor(type)
                    .withAttribute(RawJson.READ_FROM, bytes)
                    .readValue(bytes);
        } catch (RuntimeException e) {
            int schema = schemaOf(bytes);
            if (schema != -1 && schema != Message.SCHEMA) {
                throw wrongSchema(type, schema);
            }
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        if (message == null) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": null");
        }
        if (message.schema() != Message.SCHEMA) {
            throw wrongSchema(type, message.schema());
        }
        return message;
    }

    /** The {@code schema} field of a JSON object, or -1 when there is none or the bytes are not JSON. */
    private static int schemaOf(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes).path("schema").asInt(-1);
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static MalformedMessageException wrongSchema(Class<?> type, int schema) {
        return new MalformedMessageException(
                type.getSimpleName() + " has schema " + schema + ", this build reads schema " + Message.SCHEMA);
    }

    /** A message that cannot be read; consumers log it and move on. */
    public static final class MalformedMessageException extends RuntimeException {
        public MalformedMessageException(String message, Throwable cause) {
            super(message, cause);
        }

        public MalformedMessageException(String message) {
            super(message);
        }
    }
}
