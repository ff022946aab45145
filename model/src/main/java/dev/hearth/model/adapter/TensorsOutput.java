package dev.hearth.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code "output":{"adapter":"tensors","names":["y"]}}: the response is
 * {@code {"outputs":[{"name":"y","shape":[1,10],"dtype":"float32","data":[...]}]}}, data flat in row-major
 * order. Unnamed outputs are {@code output0}, {@code output1}, ...; dtypes other than float32/float64/
 * int32/int64 are converted to float32.
 */
public record TensorsOutput(List<String> names) implements OutputAdapter {

    static TensorsOutput parse(JsonObject spec) {
        List<String> names = new ArrayList<>();
        JsonElement n = spec.get("names");
        if (n != null && !n.isJsonNull()) {
            if (!n.isJsonArray()) {
                throw new IllegalArgumentException(
                        "output adapter 'tensors' needs \"names\" to be a list of strings, got " + n);
            }
            for (JsonElement e : n.getAsJsonArray()) {
                names.add(e.getAsString());
            }
        }
        return new TensorsOutput(List.copyOf(names));
    }

    @Override
    public JsonObject toJson(NDList output) {
        JsonArray outputs = new JsonArray();
        for (int i = 0; i < output.size(); i++) {
            NDArray array = output.get(i);
            JsonObject o = new JsonObject();
            o.addProperty("name", i < names.size() ? names.get(i) : "output" + i);
            o.add("shape", Shapes.json(array.getShape()));
            JsonArray data = new JsonArray();
            DataType type = array.getDataType();
            switch (type) {
                case FLOAT64 -> {
                    for (double v : array.toDoubleArray()) {
                        data.add(v);
                    }
                }
                case INT32 -> {
                    for (int v : array.toIntArray()) {
                        data.add(v);
                    }
                }
                case INT64 -> {
                    for (long v : array.toLongArray()) {
                        data.add(v);
                    }
                }
                default -> {
                    NDArray f = type == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
                    type = DataType.FLOAT32;
                    for (float v : f.toFloatArray()) {
                        data.add(v);
                    }
                }
            }
            o.addProperty("dtype", Shapes.name(type));
            o.add("data", data);
            outputs.add(o);
        }
        JsonObject json = new JsonObject();
        json.add("outputs", outputs);
        return json;
    }

    @Override
    public void check(NDList exampleOutput) {
        if (exampleOutput.isEmpty()) {
            throw new IllegalArgumentException("the model produced no output");
        }
    }
}
