package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JnaSearchPathTest {

    private static final Set<String> DEBIAN_AMD64 =
            Set.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib");

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "amd64   | /usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib",
                "x86_64  | /usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib64:/lib64:/usr/lib:/lib",
                "aarch64 | /usr/lib64:/lib64:/usr/lib:/lib", // no aarch64 directories on this made-up machine
                "riscv64 | /usr/lib64:/lib64:/usr/lib:/lib",
            })
    void theStandardDirectoriesThatExistInJnasOrder(String arch, String expected) {
        assertThat(JnaSearchPath.standardDirs(arch, p -> DEBIAN_AMD64.contains(p.toString())))
                .isEqualTo(expected);
    }

    @Test
    void noDirectoryNoPath() {
        assertThat(JnaSearchPath.standardDirs("amd64", p -> false)).isEmpty();
    }

    /**
     * A proxy asked to merge its pages uses JNA before it prints READY; it must not have spawned a child
     * for that: the JDK names the thread it starts for a first child process "process reaper".
     */
    @Test
    void aProxyThatUsesJnaAtStartSpawnsNoLdconfig() throws Exception {
        try (ProxyProcess proxy =
                ProxyProcess.startWithModels(java.util.List.of(), Map.of(RuntimeProxy.MERGE_PAGES_ENV, "1"))) {
            assertThat(proxy.get("/stats").status()).isEqualTo(200);
            assertThat(threadNames(proxy.process.pid())).isNotEmpty().doesNotContain("process reaper");
        }
    }

    private static java.util.List<String> threadNames(long pid) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return tasks.map(t -> {
                        try {
                            return Files.readString(t.resolve("comm")).strip();
                        } catch (java.io.IOException e) {
                            return ""; // the thread ended meanwhile
                        }
                    })
                    .toList();
        }
    }
}
