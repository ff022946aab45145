package dev.hearth.cli.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.CliRunner;
import dev.hearth.cli.FakeApi;
import dev.hearth.cli.Json;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bundle over the inline limit is streamed to /artifacts first; the action refers to its digest. */
class LargeArtifactUploadTest {
    @TempDir
    Path dir;

    FakeApi api;
    CliRunner cli;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
        cli = CliRunner.against(dir.resolve("home"), api);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aLargeBundleIsUploadedThenReferencedByDigest() throws Exception {
        Path zip = dir.resolve("resnet.zip");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 20];
        new Random(7).nextBytes(chunk);
        try (OutputStream out = Files.newOutputStream(zip)) {
            for (int i = 0; i < 17; i++) {
                out.write(chunk);
                sha.update(chunk);
            }
        }
        String digest = HexFormat.of().formatHex(sha.digest());
        api.on(
                "POST",
                "/api/v1/namespaces/_/artifacts",
                201,
                "{\"digest\":\"" + digest + "\",\"size\":" + Files.size(zip) + "}");
        api.on("PUT", "/api/v1/namespaces/_/actions/resnet", 200, "{}");

        CliRunner.Result result =
                cli.run("action", "create", "resnet", zip.toString(), "--kind", "djl:pytorch", "--memory", "1024");

        assertThat(result.exitCode()).as(result.err()).isZero();
        FakeApi.Request upload = api.requests().get(0);
        assertThat(upload.method()).isEqualTo("POST");
        assertThat(upload.header("X-Hearth-Digest")).isEqualTo(digest);
        assertThat(upload.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(upload.body().length()).isGreaterThan((int) ActionBody.INLINE_MAX_BYTES);
        FakeApi.Request put = api.requests().get(1);
        assertThat(put.json())
                .isEqualTo(
                        Json.parse("{\"exec\":{\"kind\":\"djl:pytorch\",\"digest\":\"" + digest + "\",\"binary\":true},"
                                + "\"parameters\":[],\"annotations\":[],\"limits\":{\"memory\":1024}}"));
    }

    @Test
    void aRefusedUploadStopsBeforeTheAction() throws Exception {
        Path zip = dir.resolve("big.zip");
        try (OutputStream out = Files.newOutputStream(zip)) {
            out.write(new byte[(int) ActionBody.INLINE_MAX_BYTES + 1]);
        }
        api.on(
                "POST",
                "/api/v1/namespaces/_/artifacts",
                413,
                "{\"error\":\"Artifact larger than allowed.\",\"code\":\"tx\"}");

        CliRunner.Result result = cli.run("action", "create", "big", zip.toString(), "--kind", "djl:pytorch");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("Artifact larger than allowed.");
        assertThat(api.requests()).hasSize(1);
    }
}
