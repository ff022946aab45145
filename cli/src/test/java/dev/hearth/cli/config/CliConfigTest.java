package dev.hearth.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.cli.CliException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliConfigTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "localhost:3233, http://localhost:3233",
        "http://localhost:3233, http://localhost:3233",
        "https://hearth.example.com/, https://hearth.example.com",
        "' 10.0.0.1:80 ', http://10.0.0.1:80"
    })
    void normalizesApiHost(String raw, String expected) {
        assertThat(CliConfig.normalizeApiHost(raw)).isEqualTo(expected);
    }

    @Test
    void namespaceDefaultsToUnderscore() {
        ConfigFile file = ConfigFile.load(Path.of("does-not-exist"));
        CliConfig config = CliConfig.resolve(file, "localhost:1", "a:b");
        assertThat(config.namespace()).isEqualTo("_");
    }

    @Test
    void rejectsAKeyWithoutColon() {
        ConfigFile file = ConfigFile.load(Path.of("does-not-exist"));
        assertThatThrownBy(() -> CliConfig.resolve(file, "localhost:1", "nokey"))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("UUID:KEY");
    }
}
