package dev.hearth.cli.activation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hearth.cli.Json;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The activation list table, one named case per kind of row. */
class ActivationTableTest {
    static final String ID = "0123456789abcdef0123456789abcdef";
    static final long START = 1_704_110_400_000L; // 2024-01-01T12:00:00Z

    /** An activation record with the given response status code, duration and extra annotations. */
    static JsonObject activation(int statusCode, long duration, String extraAnnotations) {
        return Json.parse("""
            {"activationId":"%s","name":"hello","version":"0.0.1","start":%d,"end":%d,"duration":%d,
             "response":{"statusCode":%d},
             "annotations":[{"key":"kind","value":"java"},{"key":"waitTime","value":3}%s]}
            """.formatted(ID, START, START + duration, duration, statusCode, extraAnnotations))
                .getAsJsonObject();
    }

    static String row(String start, String duration, String status) {
        return String.format(
                "%-19s %-32s %-9s %-5s %-10s %-17s %s",
                "2024-01-01 12:00:00", ID, "java", start, duration, status, "hello:0.0.1");
    }

    static Stream<Arguments> rows() {
        String cold = ",{\"key\":\"initTime\",\"value\":250}";
        return Stream.of(
                Arguments.of("warm success", activation(0, 12, ""), row("warm", "12ms", "success")),
                Arguments.of("cold start from initTime", activation(0, 12, cold), row("cold", "12ms", "success")),
                Arguments.of("application error", activation(1, 5, ""), row("warm", "5ms", "application error")),
                Arguments.of("developer error", activation(2, 5, ""), row("warm", "5ms", "developer error")),
                Arguments.of("internal error", activation(3, 5, ""), row("warm", "5ms", "internal error")),
                Arguments.of("zero duration", activation(0, 0, ""), row("warm", "0ms", "success")),
                Arguments.of("999 ms stays in ms", activation(0, 999, ""), row("warm", "999ms", "success")),
                Arguments.of("one second", activation(0, 1000, ""), row("warm", "1.000s", "success")),
                Arguments.of("seconds with millis", activation(0, 1234, ""), row("warm", "1.234s", "success")),
                Arguments.of("long run", activation(0, 61_005, ""), row("warm", "61.005s", "success")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void formatsARow(String label, JsonObject activation, String expected) {
        assertThat(ActivationTable.lines(List.of(activation), ZoneOffset.UTC).get(1))
                .isEqualTo(expected);
    }

    @Test
    void headerHasWsksColumns() {
        assertThat(ActivationTable.lines(List.of(), ZoneOffset.UTC))
                .containsExactly(
                        "Datetime            Activation ID                    Kind      Start Duration   Status            Entity");
    }

    @Test
    void startKindAnnotationWinsAndWidensTheColumn() {
        JsonObject preloaded =
                activation(0, 7, ",{\"key\":\"initTime\",\"value\":1},{\"key\":\"startKind\",\"value\":\"preloaded\"}");
        JsonObject warm = activation(0, 8, "");

        List<String> lines = ActivationTable.lines(List.of(preloaded, warm), ZoneOffset.UTC);

        String format = "%-19s %-32s %-9s %-9s %-10s %-17s %s";
        assertThat(lines)
                .containsExactly(
                        String.format(
                                format, "Datetime", "Activation ID", "Kind", "Start", "Duration", "Status", "Entity"),
                        String.format(
                                format,
                                "2024-01-01 12:00:00",
                                ID,
                                "java",
                                "preloaded",
                                "7ms",
                                "success",
                                "hello:0.0.1"),
                        String.format(
                                format, "2024-01-01 12:00:00", ID, "java", "warm", "8ms", "success", "hello:0.0.1"));
    }

    @Test
    void datetimeIsInTheGivenZoneAndMissingFieldsPrintAsDash() {
        JsonObject sparse = Json.parse("{\"activationId\":\"" + ID + "\",\"name\":\"x\",\"start\":" + START + "}")
                .getAsJsonObject();

        assertThat(ActivationTable.datetime(sparse, ZoneId.of("Europe/Berlin"))).isEqualTo("2024-01-01 13:00:00");
        assertThat(ActivationTable.lines(List.of(sparse), ZoneOffset.UTC).get(1))
                .isEqualTo(String.format(
                        "%-19s %-32s %-9s %-5s %-10s %-17s %s", "2024-01-01 12:00:00", ID, "-", "warm", "-", "-", "x"));
    }

    @Test
    void durationFallsBackToEndMinusStart() {
        JsonObject noDuration = Json.parse("{\"start\":" + START + ",\"end\":" + (START + 1500) + "}")
                .getAsJsonObject();
        assertThat(ActivationTable.duration(noDuration)).isEqualTo("1.500s");
    }
}
