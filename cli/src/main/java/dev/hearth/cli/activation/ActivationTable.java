package dev.hearth.cli.activation;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.cli.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The table of {@code activation list}, with wsk's columns:
 *
 * <pre>
 * Datetime            Activation ID                    Kind      Start Duration   Status            Entity
 * 2024-01-01 12:00:00 0123456789abcdef0123456789abcdef java      cold  1.234s     success           hello:0.0.1
 * </pre>
 *
 * <ul>
 *   <li>Datetime: {@code start} in the given zone, {@code yyyy-MM-dd HH:mm:ss}
 *   <li>Kind: the {@code kind} annotation
 *   <li>Start: the {@code startKind} annotation when present (e.g. {@code prewarmed},
 *       {@code preloaded}), else {@code cold} when there is an {@code initTime} annotation, else
 *       {@code warm}
 *   <li>Duration: {@code duration} (else {@code end - start}) as {@code 12ms} below a second, else
 *       {@code 1.234s}
 *   <li>Status: {@code response.statusCode} 0..3 as success, application error, developer error,
 *       internal error
 *   <li>Entity: {@code name:version}
 * </ul>
 *
 * The Kind and Start columns widen to their longest value; missing values print as {@code -}.
 */
final class ActivationTable {
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final int MIN_KIND_WIDTH = 9;
    private static final int MIN_START_WIDTH = 5;

    private ActivationTable() {}

    /** The header line and one line per activation, in the order given. */
    static List<String> lines(List<JsonObject> activations, ZoneId zone) {
        int kindWidth = MIN_KIND_WIDTH;
        int startWidth = MIN_START_WIDTH;
        for (JsonObject a : activations) {
            kindWidth = Math.max(kindWidth, kind(a).length());
            startWidth = Math.max(startWidth, start(a).length());
        }
        String format = "%-19s %-32s %-" + kindWidth + "s %-" + startWidth + "s %-10s %-17s %s";
        List<String> lines = new ArrayList<>();
        lines.add(String.format(format, "Datetime", "Activation ID", "Kind", "Start", "Duration", "Status", "Entity"));
        for (JsonObject a : activations) {
            lines.add(String.format(
                            format,
                            datetime(a, zone),
                            Json.string(a, "activationId").orElse("-"),
                            kind(a),
                            start(a),
                            duration(a),
                            status(a),
                            entity(a))
                    .stripTrailing());
        }
        return lines;
    }

    static String datetime(JsonObject activation, ZoneId zone) {
        return Json.number(activation, "start")
                .map(ms -> DATETIME.format(Instant.ofEpochMilli(ms).atZone(zone)))
                .orElse("-");
    }

    static String kind(JsonObject activation) {
        return Json.annotation(activation, "kind").map(JsonElement::getAsString).orElse("-");
    }

    static String start(JsonObject activation) {
        return Json.annotation(activation, "startKind")
                .filter(JsonElement::isJsonPrimitive)
                .map(JsonElement::getAsString)
                .orElseGet(() -> Json.annotation(activation, "initTime").isPresent() ? "cold" : "warm");
    }

    static String duration(JsonObject activation) {
        Long ms = Json.number(activation, "duration").orElse(null);
        if (ms == null) {
            long start = Json.number(activation, "start").orElse(0L);
            long end = Json.number(activation, "end").orElse(0L);
            if (start <= 0 || end < start) {
                return "-";
            }
            ms = end - start;
        }
        return formatDuration(ms);
    }

    static String formatDuration(long ms) {
        return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.3fs", ms / 1000.0);
    }

    static String status(JsonObject activation) {
        JsonObject response = Json.object(activation, "response").orElse(null);
        Long code = Json.number(response, "statusCode").orElse(null);
        if (code == null) {
            return Json.string(response, "status").orElse("-");
        }
        return switch (code.intValue()) {
            case 0 -> "success";
            case 1 -> "application error";
            case 2 -> "developer error";
            case 3 -> "internal error";
            default -> "status " + code;
        };
    }

    static String entity(JsonObject activation) {
        String name = Json.string(activation, "name").orElse("-");
        return Json.string(activation, "version").map(v -> name + ":" + v).orElse(name);
    }
}
