package dev.hearth.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransactionIdTest {

    static Stream<Arguments> headers() {
        return Stream.of(
                Arguments.of("OpenWhisk hex", "0123456789abcdef0123456789abcdef", true),
                Arguments.of("uuid", "1b4e28ba-2fa1-11d2-883f-0016d3cca427", true),
                Arguments.of("dots and underscores", "my_tid.42", true),
                Arguments.of("64 chars", "a".repeat(64), true),
                Arguments.of("65 chars", "a".repeat(65), false),
                Arguments.of("empty", "", false),
                Arguments.of("missing", null, false),
                Arguments.of("space", "a b", false),
                Arguments.of("quote", "a\"b", false),
                Arguments.of("newline", "a\nb", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void parse(String label, String header, boolean valid) {
        assertThat(TransactionId.parse(header).isPresent()).isEqualTo(valid);
        TransactionId.parse(header).ifPresent(id -> assertThat(id.value()).isEqualTo(header));
    }

    @Test
    void generatedIdsAre32LowercaseHexAndDeterministicForASeed() {
        TransactionId first = TransactionId.generate(new SplittableRandom(1));
        TransactionId again = TransactionId.generate(new SplittableRandom(1));
        TransactionId other = TransactionId.generate(new SplittableRandom(2));

        assertThat(first.value()).matches("[0-9a-f]{32}");
        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }
}
