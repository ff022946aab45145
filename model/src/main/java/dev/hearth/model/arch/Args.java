package dev.hearth.model.arch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Architecture arguments: JSON to plain Java values, and typed reads with messages that name the argument. */
public final class Args {

    private Args() {}

    /** A JSON object as a map of plain values (see {@link BlockFactory}). */
    public static Map<String, Object> fromJson(JsonObject json) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (json != null) {
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                out.put(e.getKey(), value(e.getValue()));
            }
        }
        return out;
    }

    private static Object value(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonObject o) {
            return fromJson(o);
        }
        if (e instanceof JsonArray a) {
            List<Object> list = new ArrayList<>();
            for (JsonElement x : a) {
                list.add(value(x));
            }
            return list;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            double d = p.getAsDouble();
            if (d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                return p.getAsLong();
            }
            return d;
        }
        return p.getAsString();
    }

    /** A positive whole-number argument, or {@code fallback} when absent ({@code null} fallback: required). */
    public static int positiveInt(String arch, Map<String, Object> args, String key, Integer fallback) {
        Object v = args.get(key);
        if (v == null) {
            if (fallback == null) {
                throw new IllegalArgumentException(
                        "architecture '" + arch + "' needs args." + key + ", a positive whole number");
            }
            return fallback;
        }
        if (!(v instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "architecture '" + arch + "' needs args." + key + " to be a positive whole number, got " + v);
        }
        return (int) (long) l;
    }

    /** A list of positive whole numbers (may be empty), required. */
    public static int[] positiveInts(String arch, Map<String, Object> args, String key) {
        Object v = args.get(key);
        if (!(v instanceof List<?> list)) {
            throw new IllegalArgumentException("architecture '" + arch + "' needs args." + key
                    + ", a list of positive whole numbers" + (v == null ? "" : ", got " + v));
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Long l) || l < 1 || l > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("architecture '" + arch + "' needs args." + key
                        + " to hold positive whole numbers, got " + list.get(i) + " at index " + i);
            }
            out[i] = (int) (long) l;
        }
        return out;
    }
}
