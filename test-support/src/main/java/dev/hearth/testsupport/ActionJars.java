package dev.hearth.testsupport;

import com.google.gson.JsonObject;
import dev.hearth.common.io.FileTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds OpenWhisk {@code java}-kind action jars from Java source strings, so that no test downloads
 * or checks in a binary.
 *
 * <pre>{@code
 * Path jar = ActionJars.build(tempDir, "com.example.Echo", """
 *     package com.example;
 *     import com.google.gson.JsonObject;
 *     public class Echo { public static JsonObject main(JsonObject args) { return args; } }
 *     """);
 * Path echo = ActionJars.build(tempDir, ActionFixture.ECHO);   // a ready-made action
 * String code = ActionJars.base64(jar);                        // for /init {"value":{"code":...}}
 * }</pre>
 *
 * <p>Sources are compiled in-process with the JDK's {@link JavaCompiler} ({@code --release 21}) against
 * the Gson jar this class itself was loaded with. The jar lands in the given directory under a name made
 * of the first class name and a digest of all sources, so different sources never overwrite each other
 * and building the same sources twice returns the same file (rebuilt, identical content).
 */
public final class ActionJars {

    private ActionJars() {}

    /** Compiles one source file declaring {@code className} and returns the jar's path in {@code dir}. */
    public static Path build(Path dir, String className, String source) {
        return build(dir, Map.of(className, source));
    }

    /** Compiles a ready-made action. */
    public static Path build(Path dir, ActionFixture fixture) {
        return build(dir, fixture.mainClass(), fixture.source());
    }

    /**
     * Compiles several source files (fully qualified class name to source; iteration order decides the
     * jar's name, so pass a {@link LinkedHashMap} or a one-entry map) and returns the jar's path.
     *
     * @throws IllegalArgumentException when the sources do not compile (the message holds javac's output)
     * @throws IllegalStateException when running on a JRE without {@code javax.tools}
     */
    public static Path build(Path dir, Map<String, String> sourcesByClassName) {
        return build(dir, sourcesByClassName, List.of());
    }

    /**
     * As {@link #build(Path, Map)}, compiled against {@code extraClasspath} as well as Gson (for
     * actions that use DJL, or block factories that implement Hearth's interfaces).
     */
    public static Path build(Path dir, Map<String, String> sourcesByClassName, List<Path> extraClasspath) {
        if (sourcesByClassName.isEmpty()) {
            throw new IllegalArgumentException("no sources to compile");
        }
        try {
            Files.createDirectories(dir);
            String first = sourcesByClassName.keySet().iterator().next();
            Path work = Files.createTempDirectory(dir, "actionjar-");
            Path srcDir = work.resolve("src");
            Path classes = work.resolve("classes");
            Files.createDirectories(classes);
            List<String> classpath = new ArrayList<>(List.of(gsonJar().toString()));
            extraClasspath.forEach(p -> classpath.add(p.toString()));
            List<String> args = new ArrayList<>(List.of(
                    "--release",
                    "21",
                    "-proc:none",
                    "-nowarn",
                    "-cp",
                    String.join(java.io.File.pathSeparator, classpath),
                    "-d",
                    classes.toString()));
            for (Map.Entry<String, String> e : sourcesByClassName.entrySet()) {
                Path file = srcDir.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            compile(args);
            Path jar = dir.resolve(first + "-" + digest(sourcesByClassName) + ".jar"); // same sources, same jar
            writeJar(classes, jar);
            FileTrees.delete(work);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("could not build an action jar in " + dir, e);
        }
    }

    /** The jar's bytes in base64, as {@code /init}'s {@code value.code} expects with {@code binary: true}. */
    public static String base64(Path jar) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(jar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@code type} was loaded from (a jar or a classes directory), for {@code extraClasspath}. */
    public static Path codeSource(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the code of " + type, e);
        }
    }

    /** The Gson jar (or classes directory) actions compile against; runtime-proxy processes need it too. */
    public static Path gsonJar() {
        try {
            return Path.of(JsonObject.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the Gson jar", e);
        }
    }

    private static void compile(List<String> args) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler: run tests on a JDK, not a JRE (java.home="
                    + System.getProperty("java.home") + ")");
        }
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalArgumentException("action sources do not compile:\n" + diagnostics);
        }
    }

    private static void writeJar(Path classes, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path tmp = Files.createTempFile(jar.getParent(), ".jar-", ".tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp), manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String digest(Map<String, String> sources) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, String> e : sources.entrySet()) {
                sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
