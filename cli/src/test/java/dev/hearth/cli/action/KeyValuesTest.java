package dev.hearth.cli.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** -p values: JSON when they parse as strict JSON, else strings (wsk behaviour). */
class KeyValuesTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(Named.of("integer", "5"), "5"),
                Arguments.of(Named.of("decimal", "1.5"), "1.5"),
                Arguments.of(Named.of("boolean", "true"), "true"),
                Arguments.of(Named.of("null", "null"), "null"),
                Arguments.of(Named.of("quoted string", "\"x\""), "\"x\""),
                Arguments.of(Named.of("object", "{\"a\": [1, 2]}"), "{\"a\":[1,2]}"),
                Arguments.of(Named.of("bare word", "hello"), "\"hello\""),
                Arguments.of(Named.of("words with spaces", "hello world"), "\"hello world\""),
                Arguments.of(Named.of("two JSON values", "5 6"), "\"5 6\""),
                Arguments.of(Named.of("broken object", "{a:1}"), "\"{a:1}\""),
                Arguments.of(Named.of("empty", ""), "\"\""),
                Arguments.of(Named.of("single quotes", "'x'"), "\"'x'\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void parsesValueLikeWsk(String input, String expectedJson) {
        assertThat(Json.compact(KeyValues.value(input))).isEqualTo(expectedJson);
    }

    @Test
    void pairsOverrideTheFileAndKeepOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("params.json");
        Files.writeString(file, "{\"a\": 1, \"b\": \"from file\"}");

        assertThat(Json.compact(KeyValues.array(file, List.of("b", "flag", "c", "[1]"))))
                .isEqualTo(
                        "[{\"key\":\"a\",\"value\":1},{\"key\":\"b\",\"value\":\"flag\"},{\"key\":\"c\",\"value\":[1]}]");
    }
}
