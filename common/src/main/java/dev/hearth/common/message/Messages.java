package dev.hearth.common.message;

import dev.hearth.common.json.Json;
import tools.jackson.databind.JsonNode;

/** Encodes messages as JSON bytes and decodes them, refusing an unknown schema version. */
public final class Messages {
    private Messages() {}

    public static byte[] encode(Message message) {
        return Json.toBytes(message);
    }

    /** The schema is checked before the fields: another schema may not have them. */
    public static <T extends Message> T decode(byte[] bytes, Class<T> type) {
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(bytes);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        int schema = tree.path("schema").asInt(-1);
        if (schema != Message.SCHEMA) {
            throw new MalformedMessageException(
                    type.getSimpleName() + " has schema " + schema + ", this build reads schema " + Message.SCHEMA);
        }
        try {
            return Json.mapper().treeToValue(tree, type);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
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
