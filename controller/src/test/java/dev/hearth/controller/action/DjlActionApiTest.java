package dev.hearth.controller.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import dev.hearth.model.demo.DemoModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * {@code djl:pytorch} actions: bundles checked by the model module's validator (a real PyTorch engine
 * in this JVM), inline or uploaded, memory from the manifest, the per-kind memory range.
 */
class DjlActionApiTest {
    private static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    private static final String MLP_MANIFEST = """
            {"format":"djl-params","model":"model.params",
             "architecture":{"name":"%s","args":{"input":%d,"hidden":[128,64],"output":10}},
             "input":{"adapter":"%s","inputs":[{"name":"x","shape":[-1,%d],"dtype":"float32"}]},
             "output":{"adapter":"tensors","names":["logits"]}%s}
            """;
    static ControllerHarness controller;

    @TempDir
    static Path dir;

    static byte[] mlp;
    static byte[] mlpParams;

    @BeforeAll
    static void start() throws IOException {
        controller = ControllerHarness.start("hearth.controller.djl-cache-dir=" + dir.resolve("djl"));
        Path zip = DemoModels.mlp(dir);
        mlp = Files.readAllBytes(zip);
        try (ZipFile z = new ZipFile(zip.toFile())) {
            mlpParams = z.getInputStream(z.getEntry("model.params")).readAllBytes();
        }
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    @Test
    void createsAModelActionInlineWithTheManifestsMemory() {
        Reply r = controller.put(ACTIONS + "mlp", inline(mlp, ""));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode a = r.json();
        assertThat(a.at("/exec/kind").asString()).isEqualTo("djl:pytorch");
        assertThat(a.at("/exec").has("main")).isFalse();
        assertThat(a.at("/exec/binary").asBoolean()).isTrue();
        assertThat(a.at("/exec/size").asLong()).isEqualTo(mlp.length);
        assertThat(a.at("/limits/memory").asInt()).isEqualTo(256);
        assertThat(a.get("annotations").toString()).contains("{\"key\":\"exec\",\"value\":\"djl:pytorch\"}");
        JsonNode got = controller.get(ACTIONS + "mlp").json();
        assertThat(Base64.getDecoder().decode(got.at("/exec/code").asString())).isEqualTo(mlp);
    }

    @Test
    void createsFromAnUploadAndReusesItOnUpdate() {
        Reply up = controller.stream(
                "POST",
                "/api/v1/namespaces/_/artifacts",
                BodyPublishers.ofByteArray(mlp),
                ControllerHarness.GUEST_AUTH,
                Map.of("Content-Type", "application/zip"));
        assertThat(up.status()).isEqualTo(201);
        String digest = up.json().get("digest").asString();
        long objects = controller.largeObjects();

        Reply created = controller.put(ACTIONS + "uploaded", byDigest(digest, ""));
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        assertThat(created.json().at("/exec/digest").asString()).isEqualTo(digest);
        assertThat(created.json().at("/limits/memory").asInt()).isEqualTo(256);
        JsonNode got = controller.get(ACTIONS + "uploaded?code=false").json();
        assertThat(got.at("/exec/digest").asString()).isEqualTo(digest);
        assertThat(got.at("/exec/size").asLong()).isEqualTo(mlp.length);
        assertThat(got.at("/exec").has("code")).isFalse();

        // Models may have more memory than code actions (512 MB), up to model-max.
        Reply same =
                controller.put(ACTIONS + "uploaded?overwrite=true", byDigest(digest, ",\"limits\":{\"memory\":2048}"));
        assertThat(same.status()).as(same.text()).isEqualTo(200);
        assertThat(same.json().get("version").asString()).isEqualTo("0.0.2");
        assertThat(same.json().at("/limits/memory").asInt()).isEqualTo(2048);
        Reply noExec = controller.put(ACTIONS + "uploaded?overwrite=true", "{\"limits\":{\"timeout\":1000}}");
        assertThat(noExec.json().at("/limits/memory").asInt()).isEqualTo(2048);
        assertThat(noExec.json().at("/exec/digest").asString()).isEqualTo(digest);
        Reply inlineSame = controller.put(ACTIONS + "uploaded2", inline(mlp, ""));
        assertThat(inlineSame.json().at("/exec/digest").asString()).isEqualTo(digest);
        assertThat(controller.largeObjects()).isEqualTo(objects);
        assertThat(controller
                        .jdbc
                        .sql("select count(*) from artifacts")
                        .query(Long.class)
                        .single())
                .isEqualTo(controller.largeObjects());

        Reply tooMuch = controller.put(ACTIONS + "uploaded?overwrite=true", "{\"limits\":{\"memory\":4097}}");
        assertThat(tooMuch.status()).isEqualTo(400);
        assertThat(tooMuch.json().get("error").asString())
                .isEqualTo("memory 4097 MB exceeds allowed threshold of 4096 MB");
        // Back to a code action: 2048 MB is outside java's range and must be set anew.
        Reply toJava = controller.put(
                ACTIONS + "uploaded?overwrite=true",
                "{\"exec\":{\"kind\":\"java\","
                        + "\"main\":\"a.B\",\"binary\":true,\"code\":\""
                        + dev.hearth.controller.support.Jars.base64Jar("j")
                        + "\"}}");
        assertThat(toJava.status()).isEqualTo(400);
        assertThat(toJava.json().get("error").asString())
                .isEqualTo("memory 2048 MB is outside the allowed range of 128 to 512 MB for java actions; set "
                        + "'limits.memory'");
    }

    @Test
    void memoryFromTheManifestIsRaisedToTheMinimumAndBoundedByModelMax() {
        Reply small = controller.put(
                ACTIONS + "small", inline(craft("small", "mlp", 784, "tensors", ",\"memoryMb\":64"), ""));
        assertThat(small.status()).as(small.text()).isEqualTo(200);
        assertThat(small.json().at("/limits/memory").asInt()).isEqualTo(128);
        Reply big =
                controller.put(ACTIONS + "big", inline(craft("big", "mlp", 784, "tensors", ",\"memoryMb\":5000"), ""));
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().get("error").asString())
                .isEqualTo("memory 5000 MB asked for by the model's manifest "
                        + "exceeds allowed threshold of 4096 MB for djl:pytorch actions");
        Reply given = controller.put(
                ACTIONS + "big",
                inline(craft("big", "mlp", 784, "tensors", ",\"memoryMb\":5000"), ",\"limits\":{\"memory\":1024}"));
        assertThat(given.status()).as(given.text()).isEqualTo(200);
        assertThat(given.json().at("/limits/memory").asInt()).isEqualTo(1024);
        // Without memoryMb the validator's Manifest carries the model module's own estimate.
        byte[] unsaidBundle = craft("unsaid", "mlp", 784, "tensors", "");
        Reply unsaid = controller.put(ACTIONS + "unsaid", inline(unsaidBundle, ""));
        assertThat(unsaid.status()).as(unsaid.text()).isEqualTo(200);
        assertThat(unsaid.json().at("/limits/memory").asInt())
                .isEqualTo(Math.max(128, manifest(unsaidBundle).memoryMb()));
    }

    static Stream<Arguments> badBundles() {
        return Stream.of(
                Arguments.of("not a zip", "hello, not a zip".getBytes(), "the bundle is not a zip file"),
                Arguments.of(
                        "unknown architecture",
                        craft("arch", "transformer", 784, "tensors", ""),
                        "unknown architecture 'transformer'"),
                Arguments.of(
                        "mismatched parameters",
                        craft("params", "mlp", 100, "tensors", ""),
                        "parameters in model.params do not match"),
                Arguments.of(
                        "unknown adapter", craft("adapter", "mlp", 784, "audio", ""), "unknown input adapter 'audio'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBundles")
    void refusesBadBundlesWithTheValidatorsMessage(String label, byte[] bundle, String contains) throws Exception {
        String expected = validatorMessage(bundle);
        Reply r = controller.put(ACTIONS + "bad", inline(bundle, ""));
        assertThat(r.status()).as(r.text()).isEqualTo(400);
        assertThat(r.json().get("error").asString()).contains(contains);
        assertThat(stripPaths(r.json().get("error").asString())).isEqualTo(stripPaths(expected));
        assertThat(controller.get(ACTIONS + "bad").status()).isEqualTo(404);
    }

    @Test
    void refusesCodeThatIsNotBinary() {
        Reply r = controller.put(ACTIONS + "text", "{\"exec\":{\"kind\":\"djl:pytorch\",\"code\":\"abc\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asString()).startsWith("djl:pytorch actions take a model bundle");
    }

    private static String inline(byte[] bundle, String extra) {
        return "{\"exec\":{\"kind\":\"djl:pytorch\",\"binary\":true,\"code\":\""
                + Base64.getEncoder().encodeToString(bundle) + "\"}" + extra + "}";
    }

    private static String byDigest(String digest, String extra) {
        return "{\"exec\":{\"kind\":\"djl:pytorch\",\"digest\":\"" + digest + "\"}" + extra + "}";
    }

    /** An MLP bundle with the demo's parameters (for 784 inputs) and the given manifest fields. */
    private static byte[] craft(String name, String architecture, int input, String adapter, String extra) {
        try {
            Path zip = DemoModels.bundle(
                    dir.resolve("crafted"),
                    name,
                    MLP_MANIFEST.formatted(architecture, input, adapter, input, extra),
                    Map.of("model.params", mlpParams));
            return Files.readAllBytes(zip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static dev.hearth.model.bundle.Manifest manifest(byte[] bundle) {
        try {
            Path file = Files.createTempFile(dir, "check-", ".zip");
            Files.write(file, bundle);
            return dev.hearth.model.bundle.BundleValidator.validate(file);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String validatorMessage(byte[] bundle) throws IOException {
        Path file = Files.createTempFile(dir, "check-", ".zip");
        Files.write(file, bundle);
        try {
            dev.hearth.model.bundle.BundleValidator.validate(file);
            throw new AssertionError("the validator accepts the bundle");
        } catch (dev.hearth.model.bundle.InvalidBundleException e) {
            return e.getMessage();
        }
    }

    private static String stripPaths(String message) {
        return message.replaceAll("/\\S+", "<path>");
    }
}
