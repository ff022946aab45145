package dev.hearth.invoker.container.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.proxy.RuntimeProxy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyClassCacheTest {
    @TempDir
    Path dir;

    /** A JDK directory with a {@code release} file saying {@code version} and an empty {@code bin/java}. */
    private Path jdk(String name, String version) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return Files.writeString(home.resolve("bin/java"), "");
    }

    @Test
    void onlyAClassPathOfJarsCanUseACache() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertThat(ProxyClassCache.usable(jar.toString())).isTrue();
        assertThat(ProxyClassCache.usable(jar + File.pathSeparator + classes)).isFalse();
        assertThat(ProxyClassCache.usable(dir.resolve("missing.jar").toString()))
                .isFalse();
        assertThat(ProxyClassCache.of(true, true, dir, jdk("j25", "25.0.1"), jar + File.pathSeparator + classes))
                .isInstanceOf(ProxyClassCache.None.class);
    }

    @ParameterizedTest
    @CsvSource({
        "25.0.1, true, AotCache",
        "26-ea, true, AotCache",
        "25.0.1, false, DynamicArchive",
        "24.0.2, true, DynamicArchive",
        "21.0.5, true, DynamicArchive",
        "'', true, DynamicArchive",
    })
    void theProxiesJdkPicksTheMechanism(String version, boolean aot, String kind) throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        ProxyClassCache cache = ProxyClassCache.of(true, aot, dir, jdk("jdk", version), jar.toString());
        assertThat(cache.getClass().getSimpleName()).isEqualTo(kind);
        assertThat(ProxyClassCache.of(false, aot, dir, jdk("jdk", version), jar.toString()))
                .isInstanceOf(ProxyClassCache.None.class);
    }

    @Test
    void aChangedJarOrJdkGetsANewFile() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        Path java = jdk("jdk", "25.0.1");
        Path first = file(ProxyClassCache.of(true, true, dir, java, jar.toString()));
        assertThat(file(ProxyClassCache.of(true, true, dir, java, jar.toString())))
                .isEqualTo(first);
        assertThat(first.getParent()).isDirectory();
        assertThat(first.toString()).endsWith(".aot");
        assertThat(file(ProxyClassCache.of(true, false, dir, java, jar.toString())))
                .hasToString(first.toString().replace(".aot", ".jsa"));
        assertThat(file(ProxyClassCache.of(true, true, dir, jdk("jdk", "25.0.2"), jar.toString())))
                .isNotEqualTo(first);
        Files.writeString(jar, "xy");
        assertThat(file(ProxyClassCache.of(true, true, dir, java, jar.toString())))
                .isNotEqualTo(first);
    }

    @Test
    void anAotCacheIsNamedOnlyOnceItExistsAndIsWrittenUnderAnotherName() throws Exception {
        ProxyClassCache.AotCache cache = new ProxyClassCache.AotCache(dir.resolve("proxy.aot"));
        assertThat(cache.missing()).isTrue();
        assertThat(cache.flags())
                .as("a missing cache is not named: the JVM would print an error at every start")
                .isEqualTo(RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        assertThat(cache.trainingFlags())
                .contains("-XX:AOTCacheOutput=" + cache.partial())
                .noneMatch(f -> f.startsWith("-Xshare:"));
        assertThat(cache.trained()).as("the training run wrote nothing").isEmpty();

        Files.writeString(cache.partial(), "cache");
        Files.writeString(cache.partial().resolveSibling("proxy.aot.partial.config"), "config");
        assertThat(cache.missing()).as("a partial file is not the cache").isTrue();
        assertThat(cache.trained()).contains(cache.file());
        assertThat(cache.partial()).doesNotExist();
        assertThat(dir.resolve("proxy.aot.partial.config")).doesNotExist();
        assertThat(cache.missing()).isFalse();
        assertThat(cache.flags()).contains("-XX:AOTCache=" + cache.file()).noneMatch(f -> f.startsWith("-Xshare:"));
    }

    @Test
    void aDynamicArchiveIsNamedWhetherOrNotItExists() throws Exception {
        ProxyClassCache.DynamicArchive cache = new ProxyClassCache.DynamicArchive(dir.resolve("proxy.jsa"));
        assertThat(cache.flags()).contains("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + cache.file());
        assertThat(cache.trainingFlags()).isEqualTo(cache.flags());
        assertThat(cache.missing()).isTrue();
        assertThat(cache.trained()).isEmpty();
        Files.writeString(cache.file(), "archive");
        assertThat(cache.missing()).isFalse();
        assertThat(cache.trained()).contains(cache.file());
    }

    @ParameterizedTest
    @CsvSource({"25.0.1, 25", "21, 21", "1.8.0_402, 1", "26-ea, 26", "'', 0", "x, 0"})
    void theFeatureReleaseOfAVersion(String version, int feature) {
        assertThat(ProxyClassCache.feature(version)).isEqualTo(feature);
    }

    @Test
    void theVersionComesFromTheJdksReleaseFile() throws Exception {
        assertThat(ProxyClassCache.javaVersion(jdk("jdk", "25.0.1"))).isEqualTo("25.0.1");
        assertThat(ProxyClassCache.javaVersion(Path.of(System.getProperty("java.home"), "bin", "java")))
                .startsWith(Integer.toString(Runtime.version().feature()));
        assertThat(ProxyClassCache.javaVersion(dir.resolve("nowhere/bin/java"))).isEmpty();
    }

    private static Path file(ProxyClassCache cache) {
        return switch (cache) {
            case ProxyClassCache.AotCache a -> a.file();
            case ProxyClassCache.DynamicArchive d -> d.file();
            case ProxyClassCache.None n -> throw new AssertionError("no cache");
        };
    }
}
