package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Parsing {@code /preload} and {@code /offload} bodies: every malformed request is a 400 that says why. */
class PreloadRequestTest {

    static final String DIGEST = "0123456789abcdef".repeat(4);

    @Test
    void aWellFormedPreload() throws ProxyError {
        PreloadRequest request = PreloadRequest.parse(json("""
                {"value":{"kind":"djl:pytorch","codePath":"/b/mlp.zip","digest":"%s"}}""".formatted(DIGEST)));
        assertThat(request).isEqualTo(new PreloadRequest(DIGEST, "/b/mlp.zip"));
        assertThat(PreloadRequest.parseOffload(json("{\"value\":{\"digest\":\"" + DIGEST + "\"}}")))
                .isEqualTo(DIGEST);
    }

    static Stream<Arguments> malformedPreloads() {
        String ok = "\"kind\":\"djl:pytorch\",\"codePath\":\"/b/mlp.zip\"";
        return Stream.of(
                malformed("no value", "{}", "needs a \"value\" object"),
                malformed("value not an object", "{\"value\":\"x\"}", "needs a \"value\" object"),
                malformed("no kind", "{\"value\":{\"codePath\":\"/b\",\"digest\":\"" + DIGEST + "\"}}", "got none"),
                malformed(
                        "java kind",
                        "{\"value\":{\"kind\":\"java\",\"codePath\":\"/b\",\"digest\":\"" + DIGEST + "\"}}",
                        "must be \"djl:pytorch\", got java"),
                malformed(
                        "no codePath",
                        "{\"value\":{\"kind\":\"djl:pytorch\",\"digest\":\"" + DIGEST + "\"}}",
                        "needs a \"codePath\""),
                malformed(
                        "relative codePath",
                        "{\"value\":{\"kind\":\"djl:pytorch\",\"codePath\":\"b/mlp.zip\",\"digest\":\"" + DIGEST
                                + "\"}}",
                        "must be an absolute path"),
                malformed(
                        "codePath not a string",
                        "{\"value\":{\"kind\":\"djl:pytorch\",\"codePath\":7,\"digest\":\"" + DIGEST + "\"}}",
                        "\"codePath\" must be a string"),
                malformed("no digest", "{\"value\":{" + ok + "}}", "needs a \"digest\""),
                malformed(
                        "upper-case digest",
                        "{\"value\":{" + ok + ",\"digest\":\"" + DIGEST.toUpperCase() + "\"}}",
                        "needs a \"digest\""),
                malformed("short digest", "{\"value\":{" + ok + ",\"digest\":\"abc\"}}", "needs a \"digest\""));
    }

    @ParameterizedTest
    @MethodSource
    void malformedPreloads(String body, String reason) {
        assertThatThrownBy(() -> PreloadRequest.parse(json(body)))
                .isInstanceOfSatisfying(
                        ProxyError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("The preload request")
                .hasMessageContaining(reason);
    }

    static Stream<Arguments> malformedOffloads() {
        return Stream.of(
                malformed("no value", "{}", "needs a \"value\" object"),
                malformed("no digest", "{\"value\":{}}", "needs a \"digest\""),
                malformed("digest not a string", "{\"value\":{\"digest\":1}}", "must be a string"),
                malformed("bad digest", "{\"value\":{\"digest\":\"" + DIGEST + "0\"}}", "needs a \"digest\""));
    }

    @ParameterizedTest
    @MethodSource
    void malformedOffloads(String body, String reason) {
        assertThatThrownBy(() -> PreloadRequest.parseOffload(json(body)))
                .isInstanceOfSatisfying(
                        ProxyError.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageStartingWith("The offload request")
                .hasMessageContaining(reason);
    }

    static Arguments malformed(String label, String body, String reason) {
        return Arguments.of(Named.of(label, body), reason);
    }

    static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }
}
