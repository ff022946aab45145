package dev.hearth.model.adapter;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code "output":{"adapter":"top-k","k":5,"softmax":true}}: the first output's first row is a score per
 * class; the response is {@code {"predictions":[{"label":"tabby","probability":0.91}, ...]}}, the
 * {@code k} highest first (ties by class index). Labels are the lines of the manifest's {@code labels}
 * file (one per class); without one, a class is labelled by its index. With {@code softmax} the scores
 * are turned into probabilities first; without it they are reported as they are.
 */
public record TopKOutput(int k, boolean softmax, List<String> labels) implements OutputAdapter {

    static TopKOutput parse(JsonObject spec, List<String> labels) {
        int k = 5;
        if (spec.has("k")) {
            double v = spec.get("k").getAsDouble();
            if (v < 1 || v != Math.rint(v)) {
                throw new IllegalArgumentException(
                        "output adapter 'top-k' needs \"k\" to be a positive whole number, got " + spec.get("k"));
            }
            k = (int) v;
        }
        boolean softmax = spec.has("softmax") && spec.get("softmax").getAsBoolean();
        return new TopKOutput(k, softmax, labels == null ? null : List.copyOf(labels));
    }

    @Override
    public JsonObject toJson(NDList output) {
        float[] scores = scores(output.get(0));
        if (softmax) {
            softmax(scores);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> {
            int c = Float.compare(scores[b], scores[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        JsonArray predictions = new JsonArray();
        for (int i = 0; i < Math.min(k, scores.length); i++) {
            int c = order.get(i);
            JsonObject p = new JsonObject();
            p.addProperty("label", labels != null && c < labels.size() ? labels.get(c) : Integer.toString(c));
            p.addProperty("probability", scores[c]);
            predictions.add(p);
        }
        JsonObject json = new JsonObject();
        json.add("predictions", predictions);
        return json;
    }

    private static float[] scores(NDArray array) {
        NDArray row = array.getShape().dimension() >= 2 ? array.get(0) : array;
        NDArray f = row.getDataType() == DataType.FLOAT32 ? row : row.toType(DataType.FLOAT32, false);
        return f.flatten().toFloatArray();
    }

    /** Numerically stable softmax in place (in double precision). */
    static void softmax(float[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (e[i] / sum);
        }
    }

    @Override
    public void check(NDList exampleOutput) {
        if (exampleOutput.isEmpty()) {
            throw new IllegalArgumentException("the model produced no output for the top-k adapter");
        }
        long[] shape = exampleOutput.get(0).getShape().getShape();
        long classes = shape.length == 0 ? 1 : shape[shape.length - 1];
        if (shape.length > 2) {
            throw new IllegalArgumentException(
                    "output adapter 'top-k' needs the model's output to be [batch, classes], got "
                            + Shapes.format(shape));
        }
        if (labels != null && labels.size() != classes) {
            throw new IllegalArgumentException(
                    "the labels file has " + labels.size() + " labels but the model outputs " + classes + " classes");
        }
    }
}
