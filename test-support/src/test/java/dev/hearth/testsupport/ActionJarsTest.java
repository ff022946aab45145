package dev.hearth.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionJarsTest {

    @TempDir
    Path dir;

    @Test
    void everyFixtureCompilesAndEchoRunsInItsOwnClassLoader() throws Exception {
        for (ActionFixture f : ActionFixture.values()) {
            try (JarFile jar = new JarFile(ActionJars.build(dir, f).toFile())) {
                assertThat(jar.getEntry(f.mainClass().replace('.', '/') + ".class"))
                        .as(f.name())
                        .isNotNull();
            }
        }
        Path echo = ActionJars.build(dir, ActionFixture.ECHO);
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {echo.toUri().toURL()}, getClass().getClassLoader())) {
            Method main = loader.loadClass(ActionFixture.ECHO.mainClass()).getMethod("main", JsonObject.class);
            JsonObject args = new JsonObject();
            args.addProperty("x", 1);
            assertThat(main.invoke(null, args)).isEqualTo(args);
        }
    }

    @Test
    void severalSourcesGoInOneJarNamedAfterTheFirst() throws Exception {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("a.Main", "package a; public class Main { public static String hi() { return b.Helper.hi(); } }");
        sources.put("b.Helper", "package b; public class Helper { public static String hi() { return \"hi\"; } }");
        Path jar = ActionJars.build(dir, sources);
        assertThat(jar.getFileName().toString()).startsWith("a.Main-").endsWith(".jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getEntry("a/Main.class")).isNotNull();
            assertThat(j.getEntry("b/Helper.class")).isNotNull();
        }
        assertThat(ActionJars.build(dir, sources)).isEqualTo(jar);
        assertThat(Base64.getDecoder().decode(ActionJars.base64(jar))).isNotEmpty();
    }

    @Test
    void sourcesThatDoNotCompileReportJavacsMessage() {
        assertThatThrownBy(() -> ActionJars.build(dir, "x.Broken", "package x; public class Broken { int }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("do not compile")
                .hasMessageContaining("Broken.java");
    }
}
