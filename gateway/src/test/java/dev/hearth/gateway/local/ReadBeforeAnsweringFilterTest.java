package dev.hearth.gateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;

/** Which requests' bodies a response made by the gateway itself waits for, from the headers alone. */
class ReadBeforeAnsweringFilterTest {

    static Stream<Arguments> cases() {
        String max = Long.toString(ReadBeforeAnsweringFilter.MAX_DISCARDED_BODY);
        String overMax = Long.toString(ReadBeforeAnsweringFilter.MAX_DISCARDED_BODY + 1);
        return Stream.of(
                Arguments.of("no body", Map.of(), true),
                Arguments.of("empty body", Map.of("Content-Length", "0"), true),
                Arguments.of("small body", Map.of("Content-Length", "2"), true),
                Arguments.of("body of exactly the limit", Map.of("Content-Length", max), true),
                Arguments.of("body one byte over the limit", Map.of("Content-Length", overMax), false),
                Arguments.of("upload of 65 MiB", Map.of("Content-Length", Long.toString(65L << 20)), false),
                Arguments.of("chunked body", Map.of("Transfer-Encoding", "chunked"), false),
                Arguments.of(
                        "small body behind 100-continue",
                        Map.of("Content-Length", "2", "Expect", "100-Continue"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void waitsOnlyForASmallBodyThatIsOnItsWay(String label, Map<String, String> headers, boolean waits) {
        HttpHeaders h = new HttpHeaders();
        headers.forEach(h::set);
        assertThat(ReadBeforeAnsweringFilter.waitsFor(h)).as(label).isEqualTo(waits);
    }
}
