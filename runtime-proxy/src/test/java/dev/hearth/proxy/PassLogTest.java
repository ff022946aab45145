package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The diagnostic pass log: one line per pass with the pass's own CPU time and page faults. */
class PassLogTest {

    @TempDir
    Path dir;

    @Test
    void aPassThatTouchesNewMemoryIsLoggedWithItsFaultsAndCpuTime() throws Exception {
        Path file = dir.resolve("passes").resolve("1.log");
        PassLog log = new PassLog(file);
        log.start();
        // 4096 pages of a new file, each written once through a shared mapping: a write fault per page
        // (no fault-around on writes), whatever the C heap of this JVM holds from earlier tests
        long sum = 0;
        try (FileChannel channel = FileChannel.open(
                dir.resolve("touched"),
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            MappedByteBuffer touched = channel.map(FileChannel.MapMode.READ_WRITE, 0, 16 << 20);
            for (int page = 0; page < 4096; page++) {
                touched.put(page * 4096, (byte) 1);
            }
            for (int i = 0; i < 20_000_000; i++) {
                sum += i % 7;
            }
        }
        log.end(2);
        assertThat(sum).isPositive();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        Map<String, String> fields = new HashMap<>();
        for (String kv : lines.getFirst().split(" ")) {
            String[] p = kv.split("=");
            fields.put(p[0], p[1]);
        }
        assertThat(fields).containsKeys("start", "wall", "runq", "majflt", "machineBusy", "machineIdle");
        assertThat(fields.get("threads")).isEqualTo("2");
        // not all 4096: the kernel maps some pages ahead (3000-3400 counted here); a log that read the wrong
        // field or another process would count a handful
        assertThat(Long.parseLong(fields.get("minflt"))).isGreaterThanOrEqualTo(1000);
        assertThat(Double.parseDouble(fields.get("cpu"))).isPositive();
    }

    @Test
    void itIsOffUnlessAskedFor() {
        System.clearProperty(PassLog.PROPERTY);
        assertThat(PassLog.ifAsked()).isNull();
    }
}
