package dev.hearth.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code "input":{"adapter":"tensors","inputs":[{"name":"x","shape":[-1,784],"dtype":"float32"}]}}: the
 * request is {@code {"inputs":[{"name":"x","shape":[1,784],"dtype":"float32","data":[...]}]}}. A declared
 * {@code -1} matches any size. In a request, {@code name} may be left out (inputs are then taken in
 * order), {@code dtype} defaults to the declared one, {@code shape} may be left out when it follows from
 * the data's length (only the {@code -1} dimension is unknown), and {@code data} may be flat or nested.
 * When the manifest declares no {@code inputs}, the model takes one input named {@code input} shaped
 * like the architecture's example input with a {@code -1} batch dimension.
 */
public record TensorsInput(List<Declared> inputs) implements InputAdapter {

    /** One declared input: {@code -1} in {@code shape} matches any size. */
    public record Declared(String name, long[] shape, DataType dtype) {
        String describe() {
            return "'" + name + "' " + Shapes.format(shape) + " (" + Shapes.name(dtype) + ")";
        }

        String expected() {
            return Shapes.format(shape) + " (" + Shapes.name(dtype) + ")";
        }
    }

    static TensorsInput parse(JsonObject spec, Shape exampleShape) {
        JsonElement declared = spec.get("inputs");
        List<Declared> inputs = new ArrayList<>();
        if (declared == null || declared.isJsonNull()) {
            if (exampleShape == null) {
                throw new IllegalArgumentException(
                        "input adapter 'tensors' needs \"inputs\": [{\"name\",\"shape\",\"dtype\"}] for a torchscript model");
            }
            long[] shape = exampleShape.getShape().clone();
            shape[0] = -1;
            inputs.add(new Declared("input", shape, DataType.FLOAT32));
            return new TensorsInput(List.copyOf(inputs));
        }
        if (!declared.isJsonArray() || declared.getAsJsonArray().isEmpty()) {
            throw new IllegalArgumentException(
                    "input adapter 'tensors' needs \"inputs\" to be a non-empty list of {\"name\",\"shape\",\"dtype\"}");
        }
        int i = 0;
        for (JsonElement e : declared.getAsJsonArray()) {
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("input adapter 'tensors': inputs[" + i + "] must be an object");
            }
            JsonObject o = e.getAsJsonObject();
            String name = o.has("name") ? o.get("name").getAsString() : "input" + i;
            long[] shape = Shapes.parse(o.get("shape"), true);
            if (shape == null) {
                throw new IllegalArgumentException("input adapter 'tensors': input '" + name
                        + "' needs \"shape\", a list of sizes (-1 for any), got " + o.get("shape"));
            }
            String dtypeName = o.has("dtype") ? o.get("dtype").getAsString() : "float32";
            DataType dtype = Shapes.dtype(dtypeName);
            if (dtype == null) {
                throw new IllegalArgumentException("input adapter 'tensors': input '" + name + "' has dtype '"
                        + dtypeName + "'; supported are float32, float64, int32, int64");
            }
            inputs.add(new Declared(name, shape, dtype));
            i++;
        }
        return new TensorsInput(List.copyOf(inputs));
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Declared d : inputs) {
            parts.add(d.describe());
        }
        return String.join(", ", parts);
    }

    @Override
    public NDList toInput(NDManager manager, JsonObject request) throws BadInputException {
        JsonElement given = request.get("inputs");
        if (given == null || !given.isJsonArray()) {
            throw new BadInputException(
                    "the request needs \"inputs\": [{\"name\",\"shape\",\"dtype\",\"data\"}]; the model takes "
                            + describe());
        }
        JsonArray array = given.getAsJsonArray();
        if (array.size() != inputs.size()) {
            throw new BadInputException("the request has " + array.size() + " input(s) but the model takes "
                    + inputs.size() + ": " + describe());
        }
        NDList list = new NDList(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Declared d = inputs.get(i);
            list.add(tensor(manager, d, find(array, d, i)));
        }
        return list;
    }

    private static JsonObject find(JsonArray array, Declared d, int index) throws BadInputException {
        for (JsonElement e : array) {
            if (e.isJsonObject()
                    && e.getAsJsonObject().has("name")
                    && d.name().equals(e.getAsJsonObject().get("name").getAsString())) {
                return e.getAsJsonObject();
            }
        }
        JsonElement e = array.get(index);
        if (!e.isJsonObject()) {
            throw new BadInputException("inputs[" + index + "] must be an object with \"data\"; the model expects '"
                    + d.name() + "' " + d.expected());
        }
        JsonObject o = e.getAsJsonObject();
        if (o.has("name") && !o.get("name").isJsonNull()) {
            throw new BadInputException("input '" + d.name() + "' is missing (got '"
                    + o.get("name").getAsString() + "'): the model expects '" + d.name() + "' " + d.expected());
        }
        return o;
    }

    private static NDArray tensor(NDManager manager, Declared d, JsonObject o) throws BadInputException {
        String label = "input '" + d.name() + "'";
        DataType dtype = d.dtype();
        if (o.has("dtype") && !o.get("dtype").isJsonNull()) {
            String name = o.get("dtype").getAsString();
            DataType given = Shapes.dtype(name);
            if (given != dtype) {
                throw new BadInputException(label + " has dtype " + name + " but the model expects " + d.expected());
            }
        }
        JsonElement data = o.get("data");
        if (data == null || !data.isJsonArray()) {
            throw new BadInputException(
                    label + " needs \"data\", a list of numbers; the model expects " + d.expected());
        }
        List<JsonElement> flat = new ArrayList<>();
        flatten(data, flat);
        long[] shape;
        if (o.has("shape") && !o.get("shape").isJsonNull()) {
            shape = Shapes.parse(o.get("shape"), false);
            if (shape == null) {
                throw new BadInputException(label + " has shape " + o.get("shape")
                        + ", not a list of sizes; the model expects " + d.expected());
            }
        } else {
            shape = inferShape(d, flat.size(), label);
        }
        if (!fits(shape, d.shape())) {
            throw new BadInputException(
                    label + " has shape " + Shapes.format(shape) + " but the model expects " + d.expected());
        }
        long size = 1;
        for (long s : shape) {
            size *= s;
        }
        if (size != flat.size()) {
            throw new BadInputException(label + " has " + flat.size() + " values but shape " + Shapes.format(shape)
                    + " needs " + size + "; the model expects " + d.expected());
        }
        return create(manager, new Shape(shape), dtype, flat, label);
    }

    private static long[] inferShape(Declared d, int count, String label) throws BadInputException {
        long[] shape = d.shape().clone();
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (unknown >= 0) {
                    throw new BadInputException(label + " needs \"shape\": the model expects " + d.expected());
                }
                unknown = i;
            } else {
                known *= shape[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || count % known != 0) {
                throw new BadInputException(label + " has " + count + " values, which does not fit " + d.expected());
            }
            shape[unknown] = count / known;
        }
        return shape;
    }

    private static boolean fits(long[] given, long[] expected) {
        if (given.length != expected.length) {
            return false;
        }
        for (int i = 0; i < given.length; i++) {
            if (expected[i] != -1 && expected[i] != given[i]) {
                return false;
            }
        }
        return true;
    }

    private static void flatten(JsonElement e, List<JsonElement> out) {
        if (e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) {
                flatten(x, out);
            }
        } else {
            out.add(e);
        }
    }

    private static NDArray create(
            NDManager manager, Shape shape, DataType dtype, List<JsonElement> values, String label)
            throws BadInputException {
        int n = values.size();
        try {
            switch (dtype) {
                case FLOAT64 -> {
                    double[] a = new double[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = values.get(i).getAsDouble();
                    }
                    return manager.create(a, shape);
                }
                case INT32 -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = Math.toIntExact(whole(values.get(i)));
                    }
                    return manager.create(a, shape);
                }
                case INT64 -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = whole(values.get(i));
                    }
                    return manager.create(a, shape);
                }
                default -> {
                    float[] a = new float[n];
                    for (int i = 0; i < n; i++) {
                        a[i] = values.get(i).getAsFloat();
                    }
                    return manager.create(a, shape);
                }
            }
        } catch (RuntimeException e) {
            throw new BadInputException(
                    label + " has data that are not all " + Shapes.name(dtype) + " numbers (" + e.getMessage()
                            + "); the model expects " + Shapes.format(shape) + " (" + Shapes.name(dtype) + ")",
                    e);
        }
    }

    private static long whole(JsonElement e) {
        double d = e.getAsDouble();
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(e + " is not a whole number");
        }
        return e.getAsLong();
    }

    @Override
    public NDList example(NDManager manager) {
        NDList list = new NDList(inputs.size());
        for (Declared d : inputs) {
            long[] shape = d.shape().clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shape[i] == -1 ? 1 : shape[i];
            }
            list.add(manager.zeros(new Shape(shape), d.dtype()));
        }
        return list;
    }
}
