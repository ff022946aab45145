package dev.hearth.invoker.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProxyJvmFlagsTest {
    private static final String MODEL = ContainerFactory.DJL_PYTORCH;
    private static final String JAVA = ContainerFactory.JAVA;
    private static final String UNLOCK = "-XX:+UnlockDiagnosticVMOptions";
    private static final String CDS_FIXED = "-XX:ArchiveRelocationMode=0";

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("java 256 MB: 70 % heap, nothing else", JAVA, 256, 179, List.of("-Xmx179m")),
                Arguments.of("java 128 MB", JAVA, 128, 89, List.of("-Xmx89m")),
                Arguments.of("java tiny: at least 16 MB of heap", JAVA, 16, 16, List.of("-Xmx16m")),
                Arguments.of(
                        "model 1 GB: 25 % heap, C2, small initial heap, a young generation of 16 MB, CDS at its dump address",
                        MODEL,
                        1024,
                        256,
                        List.of("-XX:TieredStopAtLevel=4", "-Xms32m", "-Xmn16m", UNLOCK, CDS_FIXED, "-Xmx256m")),
                Arguments.of(
                        "model 512 MB",
                        MODEL,
                        512,
                        128,
                        List.of("-XX:TieredStopAtLevel=4", "-Xms32m", "-Xmn16m", UNLOCK, CDS_FIXED, "-Xmx128m")),
                Arguments.of(
                        "model 4 GB",
                        MODEL,
                        4096,
                        1024,
                        List.of("-XX:TieredStopAtLevel=4", "-Xms32m", "-Xmn16m", UNLOCK, CDS_FIXED, "-Xmx1024m")),
                Arguments.of(
                        "model 128 MB: the heap floor of 64 MB, half of it young",
                        MODEL,
                        128,
                        64,
                        List.of("-XX:TieredStopAtLevel=4", "-Xms32m", "-Xmn16m", UNLOCK, CDS_FIXED, "-Xmx64m")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void flagsByKindAndMemory(String label, String kind, int memoryMb, int heapMb, List<String> flags) {
        assertThat(ProxyJvmFlags.heapMb(memoryMb, kind)).isEqualTo(heapMb);
        assertThat(ProxyJvmFlags.flags(memoryMb, kind)).containsExactlyElementsOf(flags);
    }
}
