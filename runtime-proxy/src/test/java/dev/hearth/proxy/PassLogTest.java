package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
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
        ByteBuffer touched = ByteBuffer.allocateDirect(16 << 20); // zeroed by the JVM: 4096 new pages
        long sum = 0;
        for (int i = 0; i < 20_000_000; i++) {
            sum += i % 7;
        }
        log.end(2);
        assertThat(touched.capacity() + sum).isPositive();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(1);
        Map<String, String> fields = new HashMap<>();
        for (String kv : lines.getFirst().split(" ")) {
            String[] p = kv.split("=");
            fields.put(p[0], p[1]);
        }
        assertThat(fields).containsKeys("start", "wall", "runq", "majflt", "machineBusy", "machineIdle");
        assertThat(fields.get("threads")).isEqualTo("2");
        assertThat(Long.parseLong(fields.get("minflt"))).isGreaterThanOrEqualTo(4000);
        assertThat(Double.parseDouble(fields.get("cpu"))).isPositive();
    }

    @Test
    void itIsOffUnlessAskedFor() {
        System.clearProperty(PassLog.PROPERTY);
        assertThat(PassLog.ifAsked()).isNull();
    }
}
