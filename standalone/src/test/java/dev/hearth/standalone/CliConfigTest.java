package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {

    @Test
    void writesPlainLinesAndKeepsOtherKeys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/config");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "NAMESPACE=guest\nAUTH=old:key\n");
        CliConfig.write(file, "http://127.0.0.1:3233", "5d4133ff-b305-4a45-ac67-47925575ff1b:abc");
        assertThat(Files.readAllLines(file))
                .containsExactly(
                        "NAMESPACE=guest",
                        "APIHOST=http://127.0.0.1:3233",
                        "AUTH=5d4133ff-b305-4a45-ac67-47925575ff1b:abc");
    }
}
