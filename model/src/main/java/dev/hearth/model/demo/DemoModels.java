package dev.hearth.model.demo;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.basicmodelzoo.cv.classification.ResNetV1;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import dev.hearth.model.bundle.BundleSpec;
import dev.hearth.model.bundle.ParamsFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Demo model bundles with <b>random</b> weights from fixed seeds (no download, no training): the same
 * call writes the same bytes every time. Zips are written STORED (uncompressed) with fixed timestamps,
 * so a bundle's bytes depend only on its content, and a parameter file inside is a contiguous byte
 * range of the zip.
 *
 * <pre>
 * mlp(dir)           mlp.zip           784-128-64-10 MLP, tensors in ("x" [-1,784] float32), tensors out ("logits")
 * resnet18(dir)      resnet18.zip      ResNet-18, 224x224 image in, top-5 of 1000 classes (class-0 ...) out
 * resnet50(dir)      resnet50.zip      ResNet-50, likewise
 * fineTunedPair(dir) resnet18-ft-a.zip, resnet18-ft-b.zip: ResNet-18 with 10 classes; every parameter is
 *                    byte-identical except the final dense layer (weight and bias), which differs
 * </pre>
 *
 * <p>{@code java -cp ... dev.hearth.model.demo.DemoModels [dir]} writes them all into {@code dir}
 * (default {@code bench/models}) with {@code image.json}, a {@code /run} parameter file holding a test image.
 */
public final class DemoModels {

    static final long MLP_SEED = 784_128_064_010L;
    static final long RESNET18_SEED = 18;
    static final long RESNET50_SEED = 50;
    static final long BACKBONE_SEED = 1818;
    static final long HEAD_SEED_A = 0xA;
    static final long HEAD_SEED_B = 0xB;
    static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private DemoModels() {}

    /** A 784-128-64-10 MLP with tensors in and out: {@code dir/mlp.zip}. */
    public static Path mlp(Path dir) {
        Block block = new Mlp(784, 10, new int[] {128, 64});
        String manifest = """
                {"format":"djl-params","model":"model.params",
                 "description":"Demo 784-128-64-10 MLP with RANDOM weights (seed %d), not trained.",
                 "architecture":{"name":"mlp","args":{"input":784,"hidden":[128,64],"output":10}},
                 "input":{"adapter":"tensors","inputs":[{"name":"x","shape":[-1,784],"dtype":"float32"}]},
                 "output":{"adapter":"tensors","names":["logits"]},
                 "memoryMb":256}
                """.formatted(MLP_SEED);
        return bundle(
                dir,
                "mlp.zip",
                manifest,
                Map.of("model.params", params(block, new Shape(1, 784), MLP_SEED, MLP_SEED, "mlp")));
    }

    /** ResNet-18, 224x224 image in, top-5 of 1000 generated labels out: {@code dir/resnet18.zip}. */
    public static Path resnet18(Path dir) {
        return resnet(dir, "resnet18.zip", 18, 1000, RESNET18_SEED, RESNET18_SEED, 512);
    }

    /** ResNet-50, 224x224 image in, top-5 of 1000 generated labels out: {@code dir/resnet50.zip}. */
    public static Path resnet50(Path dir) {
        return resnet(dir, "resnet50.zip", 50, 1000, RESNET50_SEED, RESNET50_SEED, 768);
    }

    /**
     * Two ResNet-18 bundles with 10 classes, as if fine-tuned from one backbone: every parameter is
     * byte-identical except the final dense layer's weight and bias, which differ.
     */
    public static List<Path> fineTunedPair(Path dir) {
        return List.of(
                resnet(dir, "resnet18-ft-a.zip", 18, 10, BACKBONE_SEED, HEAD_SEED_A, 512),
                resnet(dir, "resnet18-ft-b.zip", 18, 10, BACKBONE_SEED, HEAD_SEED_B, 512));
    }

    private static Path resnet(Path dir, String name, int layers, int classes, long seed, long headSeed, int memoryMb) {
        Block block = ResNetV1.builder()
                .setImageShape(new Shape(3, 224, 224))
                .setNumLayers(layers)
                .setOutSize(classes)
                .build();
        String seeds = seed == headSeed ? "seed " + seed : "backbone seed " + seed + ", head seed " + headSeed;
        String manifest = """
                {"format":"djl-params","model":"model.params",
                 "description":"Demo ResNet-%d, %d classes, with RANDOM weights (%s), not trained: predictions are meaningless.",
                 "architecture":{"name":"resnet","args":{"layers":%d,"classes":%d,"imageSize":224}},
                 "input":{"adapter":"image","width":224,"height":224,"resize":256,"centerCrop":true,
                          "mean":[0.485,0.456,0.406],"std":[0.229,0.224,0.225]},
                 "output":{"adapter":"top-k","k":5,"softmax":true},
                 "labels":"labels.txt","memoryMb":%d}
                """.formatted(layers, classes, seeds, layers, classes, memoryMb);
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < classes; i++) {
            labels.append("class-").append(i).append('\n');
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.params", params(block, new Shape(1, 3, 224, 224), seed, headSeed, "resnet" + layers));
        files.put("labels.txt", labels.toString().getBytes(StandardCharsets.UTF_8));
        return bundle(dir, name, manifest, files);
    }

    /**
     * Initialises {@code block} with seeded values and returns its {@code .params} bytes. Each weight
     * gets its own seed from {@code seed} and the parameter's name; the last dense layer (the head)
     * draws from {@code headSeed} instead, bias included. Other biases, BatchNorm gammas/betas and
     * running statistics keep DJL's constant defaults.
     */
    static byte[] params(Block block, Shape input, long seed, long headSeed, String modelName) {
        List<Pair<String, Parameter>> parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            parameters.add(p);
        }
        String last = parameters.get(parameters.size() - 1).getKey();
        String headPrefix = last.substring(0, last.lastIndexOf('_') + 1);
        for (Pair<String, Parameter> p : parameters) {
            boolean head = p.getKey().startsWith(headPrefix);
            long s = mix(head ? headSeed : seed, p.getKey());
            Parameter.Type type = p.getValue().getType();
            if (type == Parameter.Type.WEIGHT) {
                p.getValue().setInitializer(new SeededInitializer(s, 1.0));
            } else if (head && type == Parameter.Type.BIAS) {
                p.getValue().setInitializer(new SeededInitializer(s, 0.1));
            }
        }
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, input);
            Path tmp = Files.createTempFile("hearth-demo-", ".params");
            try {
                ParamsFile.write(block, modelName, tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long mix(long seed, String name) {
        long h = seed * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < name.length(); i++) {
            h = (h ^ name.charAt(i)) * 0x100000001B3L;
        }
        return h;
    }

    /** A deterministic test picture (gradient plus seeded shapes) as PNG bytes. */
    public static byte[] testImagePng(int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        int r0 = random.nextInt(256);
        int g0 = random.nextInt(256);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (r0 + 255 * x / Math.max(1, width - 1)) & 0xff;
                int g = (g0 + 255 * y / Math.max(1, height - 1)) & 0xff;
                int b = ((x ^ y) * 7) & 0xff;
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        Graphics2D g = image.createGraphics();
        try {
            for (int i = 0; i < 6; i++) {
                g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
                int w = 1 + random.nextInt(Math.max(1, width / 2));
                int h = 1 + random.nextInt(Math.max(1, height / 2));
                g.fillRect(random.nextInt(Math.max(1, width)), random.nextInt(Math.max(1, height)), w, h);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes a bundle zip {@code dir/name} (".zip" added when missing) holding {@code manifest.json}
     * (left out when {@code manifestJson} is {@code null}) and {@code files}, entries STORED in the
     * given order with a fixed timestamp. For tests that need broken bundles too.
     */
    public static Path bundle(Path dir, String name, String manifestJson, Map<String, byte[]> files) {
        Path zip = dir.resolve(name.endsWith(".zip") ? name : name + ".zip");
        try {
            Files.createDirectories(dir);
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                if (manifestJson != null) {
                    stored(out, BundleSpec.MANIFEST, manifestJson.getBytes(StandardCharsets.UTF_8));
                }
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    stored(out, f.getKey(), f.getValue());
                }
            }
            return zip;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bundle " + zip, e);
        }
    }

    private static void stored(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(LocalDateTime.of(1980, 1, 1, 0, 0));
        out.putNextEntry(entry);
        out.write(bytes);
        out.closeEntry();
    }

    /** Builds every demo bundle and {@code image.json} into {@code args[0]} (default {@code bench/models}). */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "bench/models");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        long start = System.nanoTime();
        written.add(mlp(dir));
        written.add(resnet18(dir));
        written.add(resnet50(dir));
        written.addAll(fineTunedPair(dir));
        JsonObject image = new JsonObject();
        image.addProperty("image", Base64.getEncoder().encodeToString(testImagePng(256, 256, 7)));
        Path imageJson = dir.resolve("image.json");
        try (OutputStream out = Files.newOutputStream(imageJson)) {
            out.write(image.toString().getBytes(StandardCharsets.UTF_8));
        }
        written.add(imageJson);
        for (Path p : written) {
            System.out.printf("%-60s %,14d bytes%n", p, Files.size(p));
        }
        System.out.printf("built in %d ms (random weights, fixed seeds)%n", (System.nanoTime() - start) / 1_000_000);
    }
}
