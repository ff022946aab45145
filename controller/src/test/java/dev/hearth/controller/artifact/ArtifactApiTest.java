package dev.hearth.controller.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.controller.support.ControllerHarness;
import dev.hearth.controller.support.ControllerHarness.Reply;
import dev.hearth.controller.support.Jars;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The streaming upload endpoint and actions that refer to an uploaded artifact by digest. */
class ArtifactApiTest {
    private static final String ARTIFACTS = "/api/v1/namespaces/_/artifacts";
    private static final String ACTIONS = "/api/v1/namespaces/_/actions/";
    private static final Map<String, String> OCTETS = Map.of("Content-Type", "application/octet-stream");
    static ControllerHarness controller;

    @BeforeAll
    static void start() {
        controller = ControllerHarness.start(
                "hearth.controller.artifact-upload-max-bytes=1MB", "hearth.controller.artifact-max-bytes=64KB");
    }

    @AfterAll
    static void stop() {
        controller.close();
    }

    @Test
    void uploadsOnceAndAnswersDigestAndSize() {
        byte[] bytes = random(300_000, 1);
        long before = controller.largeObjects();
        Reply first = upload(bytes, Map.of("Content-Type", "application/zip"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("digest").asString()).isEqualTo(Sha256.of(bytes));
        assertThat(first.json().get("size").asLong()).isEqualTo(bytes.length);
        Reply again = upload(bytes, Map.of("X-Hearth-Digest", Sha256.of(bytes)));
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("digest").asString()).isEqualTo(Sha256.of(bytes));
        assertThat(controller.largeObjects()).isEqualTo(before + 1);
    }

    @Test
    void refusesTooLargeByContentLengthAndMidStream() {
        byte[] bytes = random(1024 * 1024 + 1, 2);
        long before = controller.largeObjects();
        Reply declared = upload(bytes, Map.of());
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.json().get("error").asString())
                .isEqualTo("Artifact larger than allowed: 1048577 > 1048576 bytes.");
        // No Content-Length: the bound is found while streaming, after part was written.
        Reply chunked = controller.stream(
                "POST",
                ARTIFACTS,
                BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)),
                ControllerHarness.GUEST_AUTH,
                OCTETS);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.json().get("error").asString()).startsWith("Artifact larger than allowed: ");
        assertThat(controller.largeObjects()).isEqualTo(before);
        assertThat(rows(Sha256.of(bytes))).isZero();
    }

    /** Without Tomcat's continueResponseTiming=onRead the client would send the body and see a reset. */
    @Test
    void aClientThatExpectsContinueSendsNoBodyWhenRefused() throws Exception {
        long size = 1L << 30;
        for (String auth : new String[] {null, ControllerHarness.GUEST_AUTH}) {
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(controller.base() + ARTIFACTS))
                    .expectContinue(true)
                    .header("Content-Type", "application/octet-stream")
                    .POST(BodyPublishers.fromPublisher(
                            BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
                                @Override
                                public int read() {
                                    sent.incrementAndGet();
                                    return 0;
                                }

                                @Override
                                public int read(byte[] b, int off, int len) {
                                    sent.addAndGet(len);
                                    return len;
                                }
                            }),
                            size));
            if (auth != null) {
                request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes()));
            }
            var r = controller.client().send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(auth == null ? 401 : 413);
            assertThat(sent.get()).as("body bytes the client sent").isLessThan(1 << 20);
        }
    }

    @Test
    void refusesAMismatchedDigestAndStoresNothing() {
        byte[] bytes = random(10_000, 3);
        long before = controller.largeObjects();
        Reply r = upload(bytes, Map.of("X-Hearth-Digest", "sha256:" + "0".repeat(64)));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asString())
                .isEqualTo("The content's SHA-256 is " + Sha256.of(bytes) + ", not " + "0".repeat(64)
                        + " as expected; nothing was stored.");
        assertThat(controller.largeObjects()).isEqualTo(before);
        Reply malformed = upload(bytes, Map.of("X-Hearth-Digest", "xyz"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error").asString()).contains("'X-Hearth-Digest' must be a SHA-256 digest");
    }

    @Test
    void needsAuthAndItsOwnNamespaceAndRawBytes() {
        byte[] bytes = random(100, 4);
        Reply none = controller.stream("POST", ARTIFACTS, BodyPublishers.ofByteArray(bytes), null, OCTETS);
        assertThat(none.status()).isEqualTo(401);
        Reply wrong = controller.stream(
                "POST", ARTIFACTS, BodyPublishers.ofByteArray(bytes), ControllerHarness.GUEST_UUID + ":nope", OCTETS);
        assertThat(wrong.status()).isEqualTo(401);
        Reply other = controller.stream(
                "POST",
                "/api/v1/namespaces/someone/artifacts",
                BodyPublishers.ofByteArray(bytes),
                ControllerHarness.GUEST_AUTH,
                OCTETS);
        assertThat(other.status()).isEqualTo(403);
        Reply form = controller.stream(
                "POST",
                ARTIFACTS,
                BodyPublishers.ofByteArray(bytes),
                ControllerHarness.GUEST_AUTH,
                Map.of("Content-Type", "multipart/form-data; boundary=x"));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().has("error")).isTrue();
    }

    @Test
    void anActionRefersToAnUploadedJarByDigest() {
        byte[] jar = Jars.jar("by-digest");
        String digest = upload(jar, Map.of()).json().get("digest").asString();
        long before = controller.largeObjects();
        Reply created = controller.put(
                ACTIONS + "bydigest",
                "{\"exec\":{\"kind\":\"java\",\"main\":\"hearth.Main\"," + "\"digest\":\"" + digest + "\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().at("/exec/digest").asString()).isEqualTo(digest);
        assertThat(created.json().at("/exec/size").asLong()).isEqualTo(jar.length);
        assertThat(created.json().at("/exec/binary").asBoolean()).isTrue();
        JsonNode got = controller.get(ACTIONS + "bydigest").json();
        assertThat(Base64.getDecoder().decode(got.at("/exec/code").asString())).isEqualTo(jar);
        assertThat(got.at("/exec/digest").asString()).isEqualTo(digest);

        Reply same = controller.put(
                ACTIONS + "bydigest?overwrite=true",
                "{\"exec\":{\"kind\":\"java\"," + "\"main\":\"hearth.Other\",\"digest\":\"" + digest + "\"}}");
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.json().get("version").asString()).isEqualTo("0.0.2");
        Reply inlineSame = controller.put(ACTIONS + "bydigest2", Jars.javaAction("by-digest", null));
        assertThat(inlineSame.json().at("/exec/digest").asString()).isEqualTo(digest);
        assertThat(controller.largeObjects()).isEqualTo(before);
    }

    @Test
    void aLargeArtifactIsNotInlinedInGet() {
        byte[] jar = Jars.jar(new String(random(100_000, 5), java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(jar.length).isGreaterThan(64 * 1024);
        String digest = upload(jar, Map.of()).json().get("digest").asString();
        assertThat(controller
                        .put(
                                ACTIONS + "large",
                                "{\"exec\":{\"kind\":\"java\",\"main\":\"a.B\",\"digest\":\"" + digest + "\"}}")
                        .status())
                .isEqualTo(200);
        JsonNode got = controller.get(ACTIONS + "large").json();
        assertThat(got.at("/exec").has("code")).isFalse();
        assertThat(got.at("/exec/digest").asString()).isEqualTo(digest);
        assertThat(got.at("/exec/size").asLong()).isEqualTo(jar.length);
    }

    @Test
    void refusesUnknownForeignOrDoubleArtifacts() {
        String unknown = "ab".repeat(32);
        Reply r = controller.put(
                ACTIONS + "nope", "{\"exec\":{\"kind\":\"java\",\"main\":\"a.B\",\"digest\":\"" + unknown + "\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asString()).isEqualTo("The artifact " + unknown + " has not been uploaded.");

        // Another namespace's bytes: knowing the digest is not enough.
        String otherAuth = controller.addNamespace("other");
        byte[] jar = Jars.jar("theirs");
        Reply theirs = controller.stream(
                "POST", "/api/v1/namespaces/_/artifacts", BodyPublishers.ofByteArray(jar), otherAuth, OCTETS);
        assertThat(theirs.status()).isEqualTo(201);
        String digest = theirs.json().get("digest").asString();
        Reply foreign = controller.put(
                ACTIONS + "foreign",
                "{\"exec\":{\"kind\":\"java\",\"main\":\"a.B\"," + "\"digest\":\"" + digest + "\"}}");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().get("error").asString())
                .isEqualTo("The artifact " + digest + " has not been uploaded.");

        Reply both = controller.put(
                ACTIONS + "both",
                "{\"exec\":{\"kind\":\"java\",\"main\":\"a.B\",\"digest\":\"" + digest + "\",\"code\":\""
                        + Jars.base64Jar("x") + "\",\"binary\":true}}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.json().get("error").asString()).endsWith("'exec.code' and 'exec.digest' exclude each other");
        Reply bad =
                controller.put(ACTIONS + "bad", "{\"exec\":{\"kind\":\"java\",\"main\":\"a.B\",\"digest\":\"12\"}}");
        assertThat(bad.status()).isEqualTo(400);
        Reply notJar = controller.put(
                ACTIONS + "notjar",
                "{\"exec\":{\"kind\":\"java\",\"main\":\"a.B\",\"digest\":\""
                        + upload("hello".getBytes(), Map.of())
                                .json()
                                .get("digest")
                                .asString() + "\"}}");
        assertThat(notJar.status()).isEqualTo(400);
        assertThat(notJar.json().get("error").asString())
                .isEqualTo("The code of a Java action must be a jar or zip archive.");
    }

    private static Reply upload(byte[] bytes, Map<String, String> headers) {
        Map<String, String> all = new java.util.HashMap<>(OCTETS);
        all.putAll(headers);
        return controller.stream(
                "POST", ARTIFACTS, BodyPublishers.ofByteArray(bytes), ControllerHarness.GUEST_AUTH, all);
    }

    private static long rows(String digest) {
        return controller
                .jdbc
                .sql("select count(*) from artifacts where digest = ?")
                .param(digest)
                .query(Long.class)
                .single();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
