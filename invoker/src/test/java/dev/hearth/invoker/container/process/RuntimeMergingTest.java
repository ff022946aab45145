package dev.hearth.invoker.container.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What model containers preload, and the KSM switch, on directories the test makes. */
class RuntimeMergingTest {
    @TempDir
    Path dir;

    Path version(String name, String... libs) throws Exception {
        Path v = Files.createDirectories(dir.resolve("pytorch").resolve(name));
        for (String lib : libs) {
            Files.writeString(v.resolve(lib), "");
        }
        return v;
    }

    @Test
    void oneVersionIsPreloadedInDependencyOrderWithItsJniLibraryLeftToDjl() throws Exception {
        Path v = version(
                "2.7.1-cpu",
                "libtorch.so",
                "0.35.1-libdjl_torch.so",
                "libc10.so",
                "libtorch_cpu.so",
                "libgomp-98b21ff3.so.1");
        assertThat(RuntimeMerging.preload(dir))
                .contains(String.join(
                        ":",
                        v.resolve("libgomp-98b21ff3.so.1").toString(),
                        v.resolve("libc10.so").toString(),
                        v.resolve("libtorch_cpu.so").toString(),
                        v.resolve("libtorch.so").toString()));
    }

    @Test
    void noNativesOrTwoVersionsPreloadNothing() throws Exception {
        assertThat(RuntimeMerging.preload(dir)).as("no cache yet").isEmpty();
        version("2.7.1-cpu", "libc10.so", "libtorch_cpu.so", "libtorch.so");
        version("2.5.1-cpu", "libc10.so", "libtorch_cpu.so", "libtorch.so");
        assertThat(RuntimeMerging.preload(dir)).as("which one would DJL load?").isEmpty();
    }

    @Test
    void ksmIsSwitchedOnWhenOffAndLeftOnWhenOn() throws Exception {
        Path run = dir.resolve("run");
        Files.writeString(run, "0\n");
        assertThat(RuntimeMerging.startKsm(run)).isTrue();
        assertThat(Files.readString(run)).isEqualTo("1");
        Files.writeString(run, "1\n");
        assertThat(RuntimeMerging.startKsm(run)).isTrue();
        assertThat(RuntimeMerging.startKsm(dir.resolve("absent")))
                .as("a kernel without KSM")
                .isFalse();
        Path readOnly = Files.createDirectories(dir.resolve("ro")).resolve("run");
        Files.writeString(readOnly, "0");
        readOnly.toFile().setWritable(false);
        if (!readOnly.toFile().canWrite()) { // root may write anyway
            assertThat(RuntimeMerging.startKsm(readOnly)).isFalse();
        }
    }
}
