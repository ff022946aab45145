package dev.hearth.controller.action;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import java.util.OptionalInt;
import tools.jackson.databind.JsonNode;

/**
 * Resolves the {@code limits} of a PUT body: each field given is checked against the configured
 * range, each field left out keeps the old value (update) or the configured default (create).
 * Memory is checked against the kind's range ({@code java} up to {@code limits.memory.max}, models up
 * to {@code limits.memory.model-max}), a kept value too. When the artifact asks for memory (a model's
 * manifest) and the body sets none, that is the memory, raised to the range's minimum; above the
 * maximum it is refused. Messages follow OpenWhisk's:
 * {@code memory 2000 MB exceeds allowed threshold of 512 MB}.
 */
final class ActionLimitsPolicy {
    private final ControllerProperties.Limits config;

    ActionLimitsPolicy(ControllerProperties.Limits config) {
        this.config = config;
    }

    /**
     * @param limits       the body's {@code limits}, may be null
     * @param old          the stored limits on an update, else null
     * @param memoryRange  the kind's memory range
     * @param wantedMemory the memory the artifact asks for, if it does
     * @param kind         the kind, for messages
     */
    ActionLimits resolve(
            JsonNode limits,
            ActionLimits old,
            ControllerProperties.Range memoryRange,
            OptionalInt wantedMemory,
            String kind) {
        ActionLimits base = old != null
                ? old
                : new ActionLimits(
                        config.timeout().defaultValue(),
                        memoryRange.defaultValue(),
                        config.logs().defaultValue(),
                        config.concurrency());
        if (limits != null && !limits.isNull() && !limits.isObject()) {
            throw ApiException.BadRequest.malformed("'limits' must be an object");
        }
        boolean memoryGiven = limits != null && limits.isObject() && limits.hasNonNull("memory");
        if (!memoryGiven && wantedMemory.isPresent()) {
            int wanted = wantedMemory.getAsInt();
            if (wanted > memoryRange.max()) {
                throw new ApiException.BadRequest("memory " + wanted + " MB asked for by the model's manifest exceeds "
                        + "allowed threshold of " + memoryRange.max() + " MB for " + kind + " actions");
            }
            base = new ActionLimits(
                    base.timeout(), Math.max(wanted, memoryRange.min()), base.logs(), base.concurrency());
        } else if (!memoryGiven && !memoryRange.contains(base.memory())) {
            throw new ApiException.BadRequest("memory " + base.memory() + " MB is outside the allowed range of "
                    + memoryRange.min() + " to " + memoryRange.max() + " MB for " + kind + " actions; set "
                    + "'limits.memory'");
        }
        if (limits == null || limits.isNull()) {
            return base;
        }
        int timeout = field(limits, "timeout", base.timeout(), config.timeout(), "ms");
        int memory = field(limits, "memory", base.memory(), memoryRange, "MB");
        int logs = field(limits, "logs", base.logs(), config.logs(), "MB");
        int concurrency = field(limits, "concurrency", base.concurrency(), new Fixed(config.concurrency()), "");
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

    private static int field(
            JsonNode limits, String name, int fallback, ControllerProperties.Range range, String unit) {
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
            throw new ApiException.BadRequest(
                    name + " " + value + u + " below allowed threshold of " + range.min() + u);
        }
        if (value > range.max()) {
            throw new ApiException.BadRequest(
                    name + " " + value + u + " exceeds allowed threshold of " + range.max() + u);
        }
        return value;
    }
}
