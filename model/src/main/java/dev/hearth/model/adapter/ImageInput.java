package dev.hearth.model.adapter;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Base64;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * {@code "input":{"adapter":"image","width":224,"height":224,"resize":256,"centerCrop":true,
 * "mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]}}: the request is {@code {"image":"<base64 PNG or
 * JPEG>"}}. The image is decoded with {@code javax.imageio}; if {@code resize} is set its shorter side
 * is scaled (bilinear) to {@code resize}, otherwise it is scaled to {@code width x height} unless it
 * already has that size; then {@code centerCrop} cuts the middle {@code width x height} (without it the
 * image is scaled to exactly that size). Pixels become RGB floats in [0, 1], minus {@code mean}, divided
 * by {@code std} (defaults 0 and 1), laid out NCHW as one float32 array {@code [1, 3, height, width]}.
 *
 * <p>A request allocates little on the Java heap (a warm model container has a small young generation,
 * so each megabyte per request is a collection every few requests): the image is read from memory
 * (not through ImageIO's temporary-file cache) and the pixels are written straight into the tensor's
 * direct buffer, which the engine uses without a copy.
 */
public record ImageInput(int width, int height, int resize, boolean centerCrop, float[] mean, float[] std)
        implements InputAdapter {

    static ImageInput parse(JsonObject spec, Shape exampleShape) {
        int defaultH = exampleShape != null && exampleShape.dimension() == 4 ? (int) exampleShape.get(2) : 224;
        int defaultW = exampleShape != null && exampleShape.dimension() == 4 ? (int) exampleShape.get(3) : 224;
        int width = positive(spec, "width", defaultW);
        int height = positive(spec, "height", defaultH);
        int resize = spec.has("resize") ? positive(spec, "resize", 0) : 0;
        boolean crop = spec.has("centerCrop") && spec.get("centerCrop").getAsBoolean();
        return new ImageInput(width, height, resize, crop, triple(spec, "mean", 0f), triple(spec, "std", 1f));
    }

    private static int positive(JsonObject spec, String key, int fallback) {
        JsonElement e = spec.get(key);
        if (e == null || e.isJsonNull()) {
            return fallback;
        }
        if (!e.isJsonPrimitive()
                || !e.getAsJsonPrimitive().isNumber()
                || e.getAsDouble() < 1
                || e.getAsDouble() != Math.rint(e.getAsDouble())) {
            throw new IllegalArgumentException(
                    "input adapter 'image' needs \"" + key + "\" to be a positive whole number, got " + e);
        }
        return e.getAsInt();
    }

    private static float[] triple(JsonObject spec, String key, float fallback) {
        JsonElement e = spec.get(key);
        if (e == null || e.isJsonNull()) {
            return new float[] {fallback, fallback, fallback};
        }
        if (!e.isJsonArray() || e.getAsJsonArray().size() != 3) {
            throw new IllegalArgumentException(
                    "input adapter 'image' needs \"" + key + "\" to be three numbers (R, G, B), got " + e);
        }
        JsonArray a = e.getAsJsonArray();
        float[] out = new float[3];
        for (int i = 0; i < 3; i++) {
            out[i] = a.get(i).getAsFloat();
            if (key.equals("std") && out[i] == 0f) {
                throw new IllegalArgumentException("input adapter 'image' needs \"std\" values that are not 0");
            }
        }
        return out;
    }

    /**
     * A PNG a little larger than the model's input ({@code resize} or the input size, plus 32 pixels), so
     * decoding, scaling, cropping and normalising all run.
     */
    @Override
    public JsonObject exampleRequest() {
        int side = Math.max(resize, Math.max(width, height)) + 32;
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, (x * 255 / side) << 16 | (y * 255 / side) << 8 | 128);
            }
        }
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            return null; // zeros then
        }
        JsonObject request = new JsonObject();
        request.addProperty("image", Base64.getEncoder().encodeToString(png.toByteArray()));
        return request;
    }

    @Override
    public String describe() {
        return "a " + width + "x" + height + " RGB image as {\"image\":\"<base64 PNG or JPEG>\"}";
    }

    @Override
    public NDList toInput(NDManager manager, JsonObject request) throws BadInputException {
        JsonElement e = request.get("image");
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new BadInputException("the request needs \"image\": the model takes " + describe());
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(e.getAsString());
        } catch (IllegalArgumentException x) {
            throw new BadInputException(
                    "\"image\" is not valid base64 (" + x.getMessage() + "); the model takes " + describe());
        }
        BufferedImage image;
        try {
            // ImageIO closes the stream (it holds only the array); in memory, no temporary file per request.
            ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes));
            image = ImageIO.read(in);
        } catch (IOException | RuntimeException x) {
            throw new BadInputException(
                    "\"image\" cannot be decoded (" + x.getMessage() + "); the model takes " + describe(), x);
        }
        if (image == null) {
            throw new BadInputException("\"image\" is not a PNG or JPEG image; the model takes " + describe());
        }
        ByteBuffer data = manager.allocateDirect(3 * width * height * Float.BYTES);
        write(fit(image), data.asFloatBuffer());
        return new NDList(manager.create(data, new Shape(1, 3, height, width), DataType.FLOAT32));
    }

    /** The normalised NCHW floats the model gets for {@code image}. */
    public float[] pixels(BufferedImage image) {
        float[] out = new float[3 * width * height];
        write(fit(image), FloatBuffer.wrap(out));
        return out;
    }

    /** Writes {@code fitted}'s ({@code width x height}) normalised pixels, NCHW, into {@code out} from index 0. */
    private void write(BufferedImage fitted, FloatBuffer out) {
        int plane = width * height;
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            fitted.getRGB(0, y, width, 1, row, 0, width);
            int at = y * width;
            for (int x = 0; x < width; x++, at++) {
                int p = row[x];
                out.put(at, (((p >> 16) & 0xff) / 255f - mean[0]) / std[0]);
                out.put(plane + at, (((p >> 8) & 0xff) / 255f - mean[1]) / std[1]);
                out.put(2 * plane + at, ((p & 0xff) / 255f - mean[2]) / std[2]);
            }
        }
    }

    private BufferedImage fit(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (!centerCrop) {
            return w == width && h == height ? image : scale(image, width, height);
        }
        BufferedImage scaled = image;
        if (resize > 0) {
            double f = (double) resize / Math.min(w, h);
            int sw = Math.max(width, (int) Math.round(w * f));
            int sh = Math.max(height, (int) Math.round(h * f));
            scaled = sw == w && sh == h ? image : scale(image, sw, sh);
        } else if (w < width || h < height) {
            double f = Math.max((double) width / w, (double) height / h);
            scaled = scale(image, Math.max(width, (int) Math.ceil(w * f)), Math.max(height, (int) Math.ceil(h * f)));
        }
        int x = (scaled.getWidth() - width) / 2;
        int y = (scaled.getHeight() - height) / 2;
        return scaled.getSubimage(x, y, width, height);
    }

    private static BufferedImage scale(BufferedImage image, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    @Override
    public NDList example(NDManager manager) {
        return new NDList(manager.zeros(new Shape(1, 3, height, width)));
    }
}
