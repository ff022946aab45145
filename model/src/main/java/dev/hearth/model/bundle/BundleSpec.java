package dev.hearth.model.bundle;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code manifest.json} says, checked for shape but not yet for meaning (the architecture,
 * adapters and parameters are checked where they are built). See model/README.md for the format.
 *
 * @param format {@link #DJL_PARAMS} or {@link #TORCHSCRIPT}
 * @param model the model file's name inside the bundle
 * @param architecture the block definition ({@code djl-params} only; {@code null} for TorchScript)
 * @param input the input adapter's object ({@code adapter} plus its options)
 * @param output the output adapter's object
 * @param labels the labels file's name, or {@code null}
 * @param memoryMb the memory the model needs, or 0 when the manifest does not say
 * @param description free text, or {@code null}
 */
public record BundleSpec(
        String format,
        String model,
        JsonObject architecture,
        JsonObject input,
        JsonObject output,
        String labels,
        int memoryMb,
        String description) {

    public static final String MANIFEST = "manifest.json";
    public static final String DJL_PARAMS = "djl-params";
    public static final String TORCHSCRIPT = "torchscript";
    static final List<String> FORMATS = List.of(DJL_PARAMS, TORCHSCRIPT);

    /** Reads and checks {@code manifest.json} in an extracted bundle. */
    public static BundleSpec read(ExtractedBundle bundle) throws InvalidBundleException {
        Path file = bundle.dir().resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new InvalidBundleException("the bundle has no " + MANIFEST + " at its root");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidBundleException("cannot read " + MANIFEST + ": " + e.getMessage(), e);
        }
        return parse(text);
    }

    /** Parses and checks a manifest's text. */
    public static BundleSpec parse(String manifestJson) throws InvalidBundleException {
        JsonElement json;
        try {
            json = JsonParser.parseString(manifestJson);
        } catch (JsonParseException e) {
            throw new InvalidBundleException(MANIFEST + " is not valid JSON: " + e.getMessage(), e);
        }
        if (!json.isJsonObject()) {
            throw new InvalidBundleException(MANIFEST + " must be a JSON object");
        }
        JsonObject m = json.getAsJsonObject();
        String format = requiredString(m, "format");
        if (!FORMATS.contains(format)) {
            throw new InvalidBundleException("unknown format '" + format + "': expected djl-params or torchscript");
        }
        String model = requiredString(m, "model");
        JsonObject architecture = null;
        if (DJL_PARAMS.equals(format)) {
            architecture = object(
                    m,
                    "architecture",
                    "a djl-params bundle needs \"architecture\": "
                            + "{\"name\":\"mlp\"|\"resnet\",\"args\":{...}} or {\"factory\":\"com.x.Blocks\",\"jar\":\"blocks.jar\"}");
        }
        JsonObject input = object(m, "input", "the manifest needs \"input\": {\"adapter\":\"tensors\"|\"image\", ...}");
        JsonObject output =
                object(m, "output", "the manifest needs \"output\": {\"adapter\":\"tensors\"|\"top-k\", ...}");
        String labels = optionalString(m, "labels");
        int memoryMb = 0;
        JsonElement mem = m.get("memoryMb");
        if (mem != null && !mem.isJsonNull()) {
            if (!isInteger(mem) || mem.getAsLong() < 1 || mem.getAsLong() > 1 << 20) {
                throw new InvalidBundleException(
                        "\"memoryMb\" must be a positive whole number of megabytes, got " + mem);
            }
            memoryMb = mem.getAsInt();
        }
        return new BundleSpec(
                format, model, architecture, input, output, labels, memoryMb, optionalString(m, "description"));
    }

    static boolean isInteger(JsonElement e) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return false;
        }
        double d = e.getAsDouble();
        return d == Math.rint(d) && !Double.isInfinite(d);
    }

    private static JsonObject object(JsonObject m, String key, String missing) throws InvalidBundleException {
        JsonElement e = m.get(key);
        if (e == null || e.isJsonNull()) {
            throw new InvalidBundleException(missing);
        }
        if (!e.isJsonObject()) {
            throw new InvalidBundleException("\"" + key + "\" in " + MANIFEST + " must be an object, got " + e);
        }
        return e.getAsJsonObject();
    }

    private static String requiredString(JsonObject m, String key) throws InvalidBundleException {
        String s = optionalString(m, key);
        if (s == null || s.isBlank()) {
            throw new InvalidBundleException(MANIFEST + " needs \"" + key + "\" (a string)");
        }
        return s;
    }

    private static String optionalString(JsonObject m, String key) throws InvalidBundleException {
        JsonElement e = m.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new InvalidBundleException("\"" + key + "\" in " + MANIFEST + " must be a string, got " + e);
        }
        return e.getAsString();
    }
}
