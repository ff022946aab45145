package dev.hearth.invoker.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessMemoryTest {
    @TempDir
    Path dir;

    @Test
    void readsTheRollupInBytes() throws IOException {
        Path file = dir.resolve("smaps_rollup");
        Files.writeString(file, """
                55aaa879e000-7ffeb3d65000 ---p 00000000 00:00 0                          [rollup]
                Rss:                1708 kB
                Pss:                 521 kB
                Pss_Shmem:           100 kB
                Shared_Clean:       1448 kB
                Shared_Dirty:          2 kB
                Private_Clean:       148 kB
                Private_Dirty:       112 kB
                """);
        assertThat(ProcessMemory.parse(file))
                .contains(new ProcessMemory(1708 * 1024, 521 * 1024, 100 * 1024, 1450 * 1024, 260 * 1024));
        assertThat(ProcessMemory.parse(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void thisProcessHasAResidentSet() {
        assertThat(ProcessMemory.of(ProcessHandle.current().pid()))
                .hasValueSatisfying(m -> assertThat(m.rss()).isPositive());
    }

    @Test
    void mergedPagesComeFromKsmStat() throws Exception {
        Path file = dir.resolve("ksm_stat");
        Files.writeString(
                file,
                "ksm_rmap_items 24287\nksm_zero_pages 0\nksm_merging_pages 2434\nksm_process_profit 8415296\n"
                        + "ksm_merge_any: yes\nksm_mergeable: yes\n");
        assertThat(ProcessMemory.parseMerged(file)).hasValue(2434L * 4096);
        assertThat(ProcessMemory.parseMerged(dir.resolve("absent"))).isEmpty();
    }
}
