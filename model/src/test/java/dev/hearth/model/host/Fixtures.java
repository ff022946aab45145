package dev.hearth.model.host;

import ai.djl.basicmodelzoo.basic.Mlp;
import ai.djl.nn.Block;
import dev.hearth.model.arch.BlockFactory;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.testsupport.ActionJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

/** Shared helpers for the model tests: demo bundles built once per JVM, entries of zips, a factory jar. */
public final class Fixtures {

    private static Path dir;
    private static Path mlp;
    private static Path resnet18;

    private Fixtures() {}

    public static synchronized Path dir() {
        if (dir == null) {
            dir = dev.hearth.testsupport.Scratch.dir("hearth-model-test-");
        }
        return dir;
    }

    public static synchronized Path mlp() {
        if (mlp == null) {
            mlp = DemoModels.mlp(dir().resolve("demo"));
        }
        return mlp;
    }

    public static synchronized Path resnet18() {
        if (resnet18 == null) {
            resnet18 = DemoModels.resnet18(dir().resolve("demo"));
        }
        return resnet18;
    }

    /** One entry of a zip. */
    public static byte[] entry(Path zip, String name) {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            return z.getInputStream(z.getEntry(name)).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar with {@code com.example.TinyBlocks}, a {@link BlockFactory} making a 4-3-2 MLP for input [1,4]. */
    public static byte[] tinyBlocksJar() {
        String source = """
                package com.example;
                import ai.djl.basicmodelzoo.basic.Mlp;
                import ai.djl.ndarray.types.Shape;
                import ai.djl.nn.Block;
                import dev.hearth.model.arch.BlockFactory;
                import java.util.Map;
                public class TinyBlocks implements BlockFactory {
                    public Block create(Map<String, Object> args) {
                        int hidden = ((Long) args.getOrDefault("hidden", 3L)).intValue();
                        return new Mlp(4, 2, new int[] {hidden});
                    }
                    public Shape inputShape(Map<String, Object> args) { return new Shape(1, 4); }
                }
                """;
        Path jar = ActionJars.build(
                dir().resolve("factory"),
                Map.of("com.example.TinyBlocks", source),
                List.of(
                        ActionJars.codeSource(Block.class),
                        ActionJars.codeSource(BlockFactory.class),
                        ActionJars.codeSource(Mlp.class)));
        try {
            return Files.readAllBytes(jar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A manifest for the tiny factory architecture. */
    public static String tinyManifest(Map<String, Object> unused) {
        return """
                {"format":"djl-params","model":"model.params",
                 "architecture":{"factory":"com.example.TinyBlocks","jar":"blocks.jar","args":{"hidden":3}},
                 "input":{"adapter":"tensors"},"output":{"adapter":"tensors"}}
                """;
    }
}
