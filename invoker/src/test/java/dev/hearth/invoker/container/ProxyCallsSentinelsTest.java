package dev.hearth.invoker.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.http.HttpReply;
import dev.hearth.invoker.container.ProxyCalls.Sentinels;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which sentinels follow a {@code /run} answer, read from its {@code X-Hearth-Logs} header. */
class ProxyCallsSentinelsTest {

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(null, Sentinels.BOTH), // a refusal, or a runtime that does not send it
                Arguments.of("none", new Sentinels(false, false)),
                Arguments.of("stdout", new Sentinels(true, false)),
                Arguments.of("stderr", new Sentinels(false, true)),
                Arguments.of("stdout,stderr", new Sentinels(true, true)),
                Arguments.of(" stderr , stdout ", new Sentinels(true, true)),
                Arguments.of("stdout,journal", Sentinels.BOTH), // not understood: wait for both, as before
                Arguments.of("", Sentinels.BOTH));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("answers")
    void theHeaderNamesTheStreamsToWaitFor(String header, Sentinels expected) {
        Map<String, String> headers = header == null ? Map.of() : Map.of("x-hearth-logs", header);
        assertThat(ProxyCalls.sentinels(new HttpReply(200, headers, new byte[0])))
                .isEqualTo(expected);
    }
}
