package dev.hearth.common.entity;

import dev.hearth.common.json.Json;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A function's latency SLO: the {@code percentile} (a fraction, 0.99 for p99) of its requests should
 * finish within {@code latencyMs}, end to end (queueing, start and service). It comes from the action
 * annotation {@value #ANNOTATION}, e.g. {@code {"latencyMs": 500, "percentile": 99}} (the percentile as in
 * p99, 99.9 for p99.9, 99 when absent); a function without one gets {@link #DEFAULT}, the "standard"
 * class: 1000 ms at p99. The controller refuses an action whose annotation does not parse, so every
 * stored one does.
 */
public record Slo(double latencyMs, double percentile) {
    public static final String ANNOTATION = "slo";
    public static final Slo DEFAULT = new Slo(1000, 0.99);

    public Slo {
        if (!(latencyMs > 0)) {
            throw new IllegalArgumentException("slo.latencyMs must be positive, was " + latencyMs);
        }
        if (!(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("slo.percentile must be in (0, 100), was " + percentile * 100);
        }
    }

    /** The annotation's value; {@code null} (or JSON null) gives {@link #DEFAULT}. */
    public static Slo of(JsonNode annotation) {
        if (annotation == null || annotation.isNull() || annotation.isMissingNode()) {
            return DEFAULT;
        }
        if (!annotation.isObject()) {
            throw new IllegalArgumentException(
                    "the slo annotation must be an object like {\"latencyMs\":500,\"percentile\":99}; was "
                            + annotation);
        }
        JsonNode latency = annotation.get("latencyMs");
        if (latency == null || !latency.isNumber()) {
            throw new IllegalArgumentException(
                    "the slo annotation needs a numeric latencyMs, e.g. {\"latencyMs\":500,\"percentile\":99}; was "
                            + annotation);
        }
        JsonNode percentile = annotation.get("percentile");
        if (percentile != null && !percentile.isNumber()) {
            throw new IllegalArgumentException("slo.percentile must be a number like 99 or 99.9; was " + percentile);
        }
        return new Slo(latency.asDouble(), (percentile == null ? 99 : percentile.asDouble()) / 100);
    }

    /** As {@link #of(JsonNode)}, from the annotation's JSON text; {@code null} or blank gives the default. */
    public static Slo parse(String annotation) {
        if (annotation == null || annotation.isBlank()) {
            return DEFAULT;
        }
        try {
            return of(Json.tree(annotation));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the slo annotation is not JSON: " + annotation, e);
        }
    }

    /** The SLO an action's annotations declare, else {@link #DEFAULT}. */
    public static Slo fromAnnotations(List<KeyValue> annotations) {
        for (KeyValue a : annotations) {
            if (ANNOTATION.equals(a.key())) {
                return of(a.value());
            }
        }
        return DEFAULT;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "p%s<=%.0fms", trim(percentile * 100), latencyMs);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
