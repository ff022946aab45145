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
    void aStackGuardIsRandomNonZeroWithItsLowByteZero() {
        java.util.Random seeded = new java.util.Random(7);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 100; i++) {
            long guard = Long.parseUnsignedLong(RuntimeMerging.newStackGuard(seeded), 16);
            assertThat(guard).isNotZero();
            assertThat(guard & 0xff)
                    .as("low byte zero, as glibc makes canaries")
                    .isZero();
            seen.add(Long.toHexString(guard));
        }
        assertThat(seen).hasSize(100);
        assertThat(RuntimeMerging.newStackGuard(new ZeroThenOnes()))
                .as("a zero draw is drawn again")
                .isEqualTo("ffffffffffffff00");
    }

    /** Draws 0 once, then all ones. */
    static final class ZeroThenOnes implements java.util.random.RandomGenerator {
        private boolean drawn;

        @Override
        public long nextLong() {
            long v = drawn ? -1L : 0x55L; // 0x55: non-zero, but zero once its low byte is cleared
            drawn = true;
            return v;
        }
    }

    @Test
    void theStackGuardShimIsBuiltOnceWithTheMachinesCompiler() throws Exception {
        boolean compiler =
                java.util.stream.Stream.of("/usr/bin/cc", "/usr/bin/gcc").anyMatch(p -> Files.isExecutable(Path.of(p)));
        if (!compiler && !"true".equals(System.getenv("CI"))) {
            System.err.println(
                    "\n*** SKIPPED: no C compiler here to build the stack-guard shim (CI installs gcc) ***\n");
            org.junit.jupiter.api.Assumptions.abort("no C compiler");
        }
        Path shim = RuntimeMerging.stackGuardShim(dir.resolve("native")).orElseThrow();
        assertThat(shim.getFileName().toString()).matches("hearth-stack-guard-[0-9a-f]{16}\\.so");
        assertThat(Files.readAllBytes(shim)).startsWith(0x7f, 'E', 'L', 'F');
        java.nio.file.attribute.FileTime built = Files.getLastModifiedTime(shim);
        assertThat(RuntimeMerging.stackGuardShim(dir.resolve("native"))).contains(shim);
        assertThat(Files.getLastModifiedTime(shim)).as("not built again").isEqualTo(built);
        try (java.util.stream.Stream<Path> files = Files.list(dir.resolve("native"))) {
            assertThat(files).as("no sources or temporary outputs left").containsExactly(shim);
        }
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
