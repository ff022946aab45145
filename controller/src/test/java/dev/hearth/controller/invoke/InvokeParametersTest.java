package dev.hearth.controller.invoke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import dev.hearth.controller.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InvokeParametersTest {
    private static final List<KeyValue> DEFAULTS =
            List.of(new KeyValue("a", Json.tree("0")), new KeyValue("b", Json.tree("{\"x\":[2]}")));

    /** Body and defaults in, the content the container gets (as a tree: what it parses). */
    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`{\"a\":1}`                     | none     | {\"a\":1}",
                "`{\"a\":1}`                     | defaults | {\"b\":{\"x\":[2]},\"a\":1}",
                "`{\"a\":1,\"b\":\"y\"}`         | defaults | {\"a\":1,\"b\":\"y\"}",
                "`{\"c\":true}`                  | defaults | {\"a\":0,\"b\":{\"x\":[2]},\"c\":true}",
                "`{}`                            | defaults | {\"a\":0,\"b\":{\"x\":[2]}}",
                "`  {}  `                        | defaults | {\"a\":0,\"b\":{\"x\":[2]}}",
                "``                              | defaults | {\"a\":0,\"b\":{\"x\":[2]}}",
                "`   `                           | none     | {}",
                "`{\"a\":1,\"a\":2}`             | defaults | {\"b\":{\"x\":[2]},\"a\":2}",
                "`{\"n\":{\"a\":\"}\"},\"m\":[]}` | defaults | {\"a\":0,\"b\":{\"x\":[2]},\"n\":{\"a\":\"}\"},\"m\":[]}",
            })
    void mergesTheBodyOverTheDefaults(String body, String defaults, String content) {
        List<KeyValue> d = defaults.equals("none") ? List.of() : DEFAULTS;
        assertThat(InvokeParameters.read(bytes(body)).under(d).tree()).isEqualTo(Json.tree(content));
    }

    /** With no defaults to add, the body goes on as it was written: nothing re-wrote it. */
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`{ \"s\" : \"caf\\u00e9\" , \"n\": 1.50 }`",
                "`\n {\"a\":[1, 2]}\t`",
            })
    void aBodyWithoutDefaultsIsPassedOnAsWritten(String body) {
        String content = InvokeParameters.read(bytes(body)).under(List.of()).toString();
        assertThat(content).isEqualTo(body.strip());
        String merged = InvokeParameters.read(bytes(body))
                .under(List.of(new KeyValue("z", Json.tree("1"))))
                .toString();
        assertThat(merged).isEqualTo("{\"z\":1," + body.strip().substring(1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "`{\"a\":`               | malformed",
                "`{\"a\":1} {}`          | Unexpected content after",
                "`{\"a\":1}}`            | malformed",
                "`{a:1}`                 | malformed",
                "`{\"a\":\"\u0001\"}`    | malformed",
                "`[1,2]`                 | must be a JSON object",
                "`\"text\"`              | must be a JSON object",
                "`42`                    | must be a JSON object",
                "`nope`                  | malformed",
            })
    void refusesWhatIsNotOneJsonObject(String body, String message) {
        assertThatThrownBy(() -> InvokeParameters.read(bytes(body)))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining(message);
    }

    /** Bytes that are not UTF-8 inside a string are malformed JSON, as a tree's parse found them. */
    @ParameterizedTest
    @CsvSource({"C3 28", "E2 28 A1", "FF", "80"})
    void refusesAStringThatIsNotUtf8(String hex) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(bytes("{\"a\":\"x"));
        for (String b : hex.split(" ")) {
            body.write(Integer.parseInt(b, 16));
        }
        body.writeBytes(bytes("\"}"));
        assertThatThrownBy(() -> InvokeParameters.read(body.toByteArray()))
                .isInstanceOf(ApiException.BadRequest.class)
                .hasMessageContaining("malformed");
    }

    /** A body in another encoding than UTF-8 is read through a tree and handed on as UTF-8. */
    @ParameterizedTest
    @CsvSource({"UTF-16BE", "UTF-16LE"})
    void aBodyInUtf16IsHandedOnAsUtf8(String charset) {
        byte[] body = "{\"s\":\"café\"}".getBytes(java.nio.charset.Charset.forName(charset));
        assertThat(InvokeParameters.read(body).under(DEFAULTS).tree())
                .isEqualTo(Json.tree("{\"a\":0,\"b\":{\"x\":[2]},\"s\":\"café\"}"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
