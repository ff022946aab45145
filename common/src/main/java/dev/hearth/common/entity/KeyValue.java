package dev.hearth.common.entity;

import tools.jackson.databind.JsonNode;

/** One entry of OpenWhisk's parameter and annotation lists: {@code {"key": ..., "value": ...}}. */
public record KeyValue(String key, JsonNode value) {
    public KeyValue {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a parameter or annotation needs a non-empty key");
        }
    }
}
