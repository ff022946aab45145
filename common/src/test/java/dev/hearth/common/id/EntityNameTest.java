package dev.hearth.common.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EntityNameTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("simple", "hello", true),
                Arguments.of("one character", "a", true),
                Arguments.of("inner space, dot, at, dash", "my action.v2@x-y", true),
                Arguments.of("leading dash", "-bad", false),
                Arguments.of("trailing space", "bad ", false),
                Arguments.of("slash", "a/b", false),
                Arguments.of("empty", "", false),
                Arguments.of("256 characters", "a".repeat(256), true),
                Arguments.of("257 characters", "a".repeat(257), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void followsOpenWhisksRule(String label, String name, boolean valid) {
        assertThat(EntityName.isValid(name)).isEqualTo(valid);
    }
}
