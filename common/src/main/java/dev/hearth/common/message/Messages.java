package dev.hearth.common.message;

import dev.hearth.common.json.Json;

/** Encodes messages as JSON bytes and decodes them, refusing an unknown schema version. */
public final class Messages {
    private Messages() {
    }

    public static byte[] encode(Message message) {
        return Json.toBytes(message);
    }

    public static <T extends Message> T decode(byte[] bytes, Class<T> type) {
        T message;
        try {
            message = Json.read(bytes, type);
        } catch (RuntimeException e) {
            throw new MalformedMessageException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
        if (message.schema() != Message.SCHEMA) {
            throw new MalformedMessageException(type.getSimpleName() + " has schema " + message.schema()
                    + ", this build reads schema " + Message.SCHEMA);
        }
        return message;
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
