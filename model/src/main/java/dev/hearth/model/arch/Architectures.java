package dev.hearth.model.arch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.hearth.model.bundle.ExtractedBundle;
import dev.hearth.model.bundle.InvalidBundleException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the block a manifest's {@code architecture} describes: a built-in by {@code name}
 * ({@code mlp}, {@code resnet}) or a {@link BlockFactory} class from a jar inside the bundle.
 */
public final class Architectures {

    private Architectures() {}

    public static Architecture build(JsonObject spec, ExtractedBundle bundle) throws InvalidBundleException {
        JsonObject argsJson = null;
        JsonElement a = spec.get("args");
        if (a != null && !a.isJsonNull()) {
            if (!a.isJsonObject()) {
                throw new InvalidBundleException("\"architecture.args\" must be an object, got " + a);
            }
            argsJson = a.getAsJsonObject();
        }
        Map<String, Object> args = Args.fromJson(argsJson);
        if (spec.has("factory")) {
            return fromJar(spec, args, bundle);
        }
        String name = spec.has("name") && spec.get("name").isJsonPrimitive()
                ? spec.get("name").getAsString()
                : null;
        if (name == null) {
            throw new InvalidBundleException(
                    "\"architecture\" needs \"name\" (mlp or resnet) or \"factory\" and \"jar\"");
        }
        try {
            return switch (name) {
                case MlpBlocks.NAME -> builtIn(new MlpBlocks(), MlpBlocks.label(args), args);
                case ResNetBlocks.NAME -> builtIn(new ResNetBlocks(), "resnet-" + ResNetBlocks.layers(args), args);
                default ->
                    throw new InvalidBundleException("unknown architecture '" + name
                            + "': expected mlp, resnet, or {\"factory\":\"<class>\",\"jar\":\"<jar in the bundle>\"}");
            };
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(e.getMessage(), e);
        }
    }

    private static Architecture builtIn(BlockFactory factory, String label, Map<String, Object> args) {
        return new Architecture(label, factory.create(args), factory.inputShape(args), null);
    }

    private static Architecture fromJar(JsonObject spec, Map<String, Object> args, ExtractedBundle bundle)
            throws InvalidBundleException {
        String className = string(spec, "factory");
        String jarName = string(spec, "jar");
        if (className == null || jarName == null) {
            throw new InvalidBundleException(
                    "a factory architecture needs \"factory\" (a class name) and \"jar\" (a jar in the bundle)");
        }
        Path jar = bundle.file("factory jar", jarName);
        URLClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, BlockFactory.class.getClassLoader());
        } catch (MalformedURLException e) {
            throw new InvalidBundleException("cannot open the factory jar '" + jarName + "': " + e.getMessage(), e);
        }
        try {
            Class<?> cls;
            try {
                cls = Class.forName(className, true, loader);
            } catch (ClassNotFoundException e) {
                throw new InvalidBundleException("factory class '" + className + "' is not in " + jarName);
            } catch (LinkageError e) {
                throw new InvalidBundleException(
                        "factory class '" + className + "' in " + jarName + " cannot be loaded: " + e, e);
            }
            if (!BlockFactory.class.isAssignableFrom(cls)) {
                throw new InvalidBundleException(
                        "factory class '" + className + "' does not implement " + BlockFactory.class.getName());
            }
            BlockFactory factory;
            try {
                factory = (BlockFactory) cls.getConstructor().newInstance();
            } catch (NoSuchMethodException | IllegalAccessException | InstantiationException e) {
                throw new InvalidBundleException(
                        "factory class '" + className + "' needs a public no-argument constructor", e);
            } catch (InvocationTargetException e) {
                throw new InvalidBundleException(
                        "factory class '" + className + "' failed to construct: " + e.getCause(), e);
            }
            try {
                return new Architecture(className, factory.create(args), factory.inputShape(args), loader);
            } catch (RuntimeException | LinkageError e) {
                throw new InvalidBundleException(
                        "factory " + className + " failed to create a block: " + e.getMessage(), e);
            }
        } catch (InvalidBundleException e) {
            try {
                loader.close();
            } catch (IOException ignored) {
                // reported below
            }
            throw e;
        }
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
