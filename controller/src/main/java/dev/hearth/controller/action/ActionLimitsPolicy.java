package dev.hearth.controller.action;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import tools.jackson.databind.JsonNode;

/**
 * Resolves the {@code limits} of a PUT body: each field given is checked against the configured
 * range, each field left out keeps the old value (update) or the configured default (create).
 * Messages follow OpenWhisk's: {@code memory 2000 MB exceeds allowed threshold of 512 MB}.
 */
final class ActionLimitsPolicy {
    private final ControllerProperties.Limits config;

    ActionLimitsPolicy(ControllerProperties.Limits config) {
        this.config = config;
    }

    ActionLimits resolve(JsonNode limits, ActionLimits old) {
        ActionLimits base = old != null ? old : new ActionLimits(config.timeout().defaultValue(),
                config.memory().defaultValue(), config.logs().defaultValue(), config.concurrency());
        if (limits == null || limits.isNull()) {
            return base;
        }
        if (!limits.isObject()) {
            throw ApiException.BadRequest.malformed("'limits' must be an object");
        }
        int timeout = field(limits, "timeout", base.timeout(), config.timeout(), "ms");
        int memory = field(limits, "memory", base.memory(), config.memory(), "MB");
        int logs = field(limits, "logs", base.logs(), config.logs(), "MB");
        int concurrency = field(limits, "concurrency", base.concurrency(),
                new Fixed(config.concurrency()), "");
        return new ActionLimits(timeout, memory, logs, concurrency);
    }

    private record Fixed(int value) implements ControllerProperties.Range {
        public int min() {
            return value;
        }

        public int max() {
            return value;
        }

        public int defaultValue() {
            return value;
        }
    }

    private static int field(JsonNode limits, String name, int fallback, ControllerProperties.Range range,
            String unit) {
        JsonNode node = limits.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToExactIntegral() || !node.canConvertToInt()) {
            throw ApiException.BadRequest.malformed("'limits." + name + "' must be an integer");
        }
        int value = node.asInt();
        String u = unit.isEmpty() ? "" : " " + unit;
        if (value < range.min()) {
            throw new ApiException.BadRequest(name + " " + value + u + " below allowed threshold of "
                    + range.min() + u);
        }
        if (value > range.max()) {
            throw new ApiException.BadRequest(name + " " + value + u + " exceeds allowed threshold of "
                    + range.max() + u);
        }
        return value;
    }
}
