package dev.hearth.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.proxy.RuntimeProxy;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProxyClasspathTest {

    static Path proxyLocation() throws Exception {
        return Path.of(RuntimeProxy.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    @Test
    void derivesExactlyTheProxyAndItsListedJarsFromThisJvm() throws Exception {
        Path proxy = proxyLocation();
        List<ProxyClasspath.Artifact> listed = ProxyClasspath.parse(ProxyClasspath.readList(proxy));
        assertThat(listed)
                .extracting(ProxyClasspath.Artifact::artifactId)
                .contains("gson", "api", "pytorch-engine", "pytorch-native-cpu", "jna", "hearth-model");

        List<String> entries = Arrays.asList(ProxyClasspath.derive().split(File.pathSeparator));

        assertThat(entries.getFirst()).isEqualTo(proxy.toString());
        assertThat(entries).hasSize(1 + listed.size()).doesNotHaveDuplicates();
        for (ProxyClasspath.Artifact a : listed) {
            assertThat(entries)
                    .as(a.toString())
                    .anySatisfy(e -> assertThat(
                                    a.matchesFileName(Path.of(e).getFileName().toString())
                                            || Files.isDirectory(Path.of(e)))
                            .isTrue());
        }
        assertThat(entries).allSatisfy(e -> assertThat(Path.of(e)).exists());
        assertThat(entries).anySatisfy(e -> assertThat(e).endsWith("pytorch-native-cpu-2.7.1-linux-x86_64.jar"));
        assertThat(entries)
                .noneMatch(e -> e.contains("spring")
                        || e.contains("kafka")
                        || e.contains("jackson")
                        || e.contains("postgresql")
                        || e.contains("junit"));
    }

    @Test
    void parsesColouredDependencyListLines() {
        List<ProxyClasspath.Artifact> parsed = ProxyClasspath.parse(List.of(
                "The following files have been resolved:",
                "   ai.djl:api:jar:0.35.1:compile\u001B[36m -- module ai.djl.api\u001B[0;1m [auto]\u001B[m",
                "   ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.7.1:compile",
                "\u001B[1m   com.google.code.gson:gson:jar:2.13.2:runtime\u001B[m",
                ""));
        assertThat(parsed)
                .containsExactly(
                        new ProxyClasspath.Artifact("ai.djl", "api", "jar", null, "0.35.1"),
                        new ProxyClasspath.Artifact(
                                "ai.djl.pytorch", "pytorch-native-cpu", "jar", "linux-x86_64", "2.7.1"),
                        new ProxyClasspath.Artifact("com.google.code.gson", "gson", "jar", null, "2.13.2"));
        ProxyClasspath.Artifact snapshot =
                new ProxyClasspath.Artifact("dev.hearth", "hearth-model", "jar", null, "0.1.0-SNAPSHOT");
        assertThat(snapshot.matchesFileName("hearth-model-0.1.0-SNAPSHOT.jar")).isTrue();
        assertThat(snapshot.matchesFileName("hearth-model-0.1.0-20250101.120000-3.jar"))
                .isTrue();
        assertThat(snapshot.matchesFileName("hearth-model-extra-0.1.0-SNAPSHOT.jar"))
                .isFalse();
        assertThat(parsed.get(0).matchesFileName("api-0.35.1-sources.jar")).isFalse();
    }

    @Test
    void aMissingArtifactFailsWithItsName(@TempDir Path dir) throws Exception {
        Path proxy = Files.writeString(dir.resolve("hearth-runtime-proxy-1.jar"), "x");
        Path gson = Files.writeString(dir.resolve("gson-2.13.2.jar"), "x");
        List<String> list = List.of(
                "The following files have been resolved:",
                "   com.google.code.gson:gson:jar:2.13.2:compile",
                "   com.example:nowhere:jar:linux-x86_64:9.9:compile",
                "   com.example:gone:jar:1.0:runtime");
        assertThat(ProxyClasspath.derive(proxy, list.subList(0, 2), List.of(gson)))
                .isEqualTo(proxy + File.pathSeparator + gson);
        assertThatThrownBy(() -> ProxyClasspath.derive(proxy, list, List.of(gson)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("com.example:nowhere:jar:linux-x86_64:9.9")
                .hasMessageContaining("com.example:gone:jar:1.0")
                .hasMessageContaining("hearth.invoker.process.proxy-classpath")
                .message()
                .doesNotContain("gson");
    }
}
