package dev.hearth.model.adapter;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/** Builds adapters from a manifest's {@code input} and {@code output} objects. */
public final class Adapters {

    public static final List<String> INPUTS = List.of("tensors", "image");
    public static final List<String> OUTPUTS = List.of("tensors", "top-k");

    private Adapters() {}

    /** The adapter's name in {@code spec}, checked against {@code known}. */
    public static String name(JsonObject spec, String side, List<String> known) {
        JsonElement a = spec.get("adapter");
        String name = a != null && a.isJsonPrimitive() ? a.getAsString() : null;
        if (name == null) {
            throw new IllegalArgumentException(
                    "\"" + side + "\" needs \"adapter\": one of " + String.join(", ", known));
        }
        if (!known.contains(name)) {
            throw new IllegalArgumentException(
                    "unknown " + side + " adapter '" + name + "': expected one of " + String.join(", ", known));
        }
        return name;
    }

    /**
     * @param exampleShape the architecture's example input shape, for defaults; {@code null} for TorchScript
     * @throws IllegalArgumentException naming the adapter and the bad option
     */
    public static InputAdapter input(JsonObject spec, Shape exampleShape) {
        return switch (name(spec, "input", INPUTS)) {
            case "image" -> ImageInput.parse(spec, exampleShape);
            default -> TensorsInput.parse(spec, exampleShape);
        };
    }

    /** @param labels the labels file's lines, or {@code null} */
    public static OutputAdapter output(JsonObject spec, List<String> labels) {
        return switch (name(spec, "output", OUTPUTS)) {
            case "top-k" -> TopKOutput.parse(spec, labels);
            default -> TensorsOutput.parse(spec);
        };
    }
}
