package dev.hearth.invoker.container.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppCdsArchiveTest {

    @Test
    void onlyAClassPathOfJarsCanUseAnArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertThat(AppCdsArchive.usable(jar.toString())).isTrue();
        assertThat(AppCdsArchive.usable(jar + File.pathSeparator + classes)).isFalse();
        assertThat(AppCdsArchive.usable(dir.resolve("missing.jar").toString())).isFalse();
    }

    @Test
    void aChangedJarGetsANewArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "x");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path first = AppCdsArchive.path(dir, java, jar.toString());
        assertThat(AppCdsArchive.path(dir, java, jar.toString())).isEqualTo(first);
        assertThat(first.getParent()).isDirectory();
        Files.writeString(jar, "xy");
        assertThat(AppCdsArchive.path(dir, java, jar.toString())).isNotEqualTo(first);
    }
}
