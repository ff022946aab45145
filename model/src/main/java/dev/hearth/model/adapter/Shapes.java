package dev.hearth.model.adapter;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;

/** Shapes and dtypes as the JSON adapters write them: {@code [-1,784]}, {@code float32}. */
final class Shapes {

    private Shapes() {}

    static String format(long[] dims) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(dims[i]);
        }
        return b.append(']').toString();
    }

    static String format(Shape shape) {
        return format(shape.getShape());
    }

    static JsonArray json(Shape shape) {
        JsonArray a = new JsonArray();
        for (long d : shape.getShape()) {
            a.add(d);
        }
        return a;
    }

    /** A JSON array of whole numbers (>= -1 when {@code wildcards}, else >= 0), or {@code null} when it is not one. */
    static long[] parse(JsonElement e, boolean wildcards) {
        if (e == null || !e.isJsonArray()) {
            return null;
        }
        JsonArray a = e.getAsJsonArray();
        long[] dims = new long[a.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonElement d = a.get(i);
            if (!d.isJsonPrimitive() || !d.getAsJsonPrimitive().isNumber()) {
                return null;
            }
            double v = d.getAsDouble();
            if (v != Math.rint(v) || v < (wildcards ? -1 : 0)) {
                return null;
            }
            dims[i] = (long) v;
        }
        return dims;
    }

    /** {@code float32}, {@code float64}, {@code int32}, {@code int64}, or {@code null}. */
    static DataType dtype(String name) {
        return switch (name) {
            case "float32" -> DataType.FLOAT32;
            case "float64" -> DataType.FLOAT64;
            case "int32" -> DataType.INT32;
            case "int64" -> DataType.INT64;
            default -> null;
        };
    }

    static String name(DataType type) {
        return switch (type) {
            case FLOAT32 -> "float32";
            case FLOAT64 -> "float64";
            case INT32 -> "int32";
            case INT64 -> "int64";
            default -> type.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
