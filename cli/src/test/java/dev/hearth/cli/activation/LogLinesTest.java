package dev.hearth.cli.activation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogLinesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2024-01-01T00:00:00.000Z stdout: text|text",
                "2024-01-01T00:00:00.000Z stderr: a: b|a: b",
                "2024-01-01T00:00:00.000Z stdout:|''",
                "no stream here|no stream here",
            })
    void strips(String line, String text) {
        assertThat(LogLines.strip(line)).isEqualTo(text);
    }
}
