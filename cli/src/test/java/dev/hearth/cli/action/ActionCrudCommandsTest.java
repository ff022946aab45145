package dev.hearth.cli.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.CliRunner;
import dev.hearth.cli.FakeApi;
import dev.hearth.cli.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** action create|update|get|list|delete: the requests sent and what is printed. */
class ActionCrudCommandsTest {
    static final byte[] JAR = {'P', 'K', 3, 4, 0, (byte) 0xff, 42};

    @TempDir
    Path dir;

    FakeApi api;
    CliRunner cli;
    Path jar;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
        cli = CliRunner.against(dir.resolve("home"), api);
        jar = Files.write(dir.resolve("hello.jar"), JAR);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createPutsTheJarAsBase64WithKindMainParametersAnnotationsAndLimits() {
        api.on("PUT", "/api/v1/namespaces/_/actions/hello", 200, "{\"name\":\"hello\"}");

        CliRunner.Result result = cli.run(
                "action",
                "create",
                "hello",
                jar.toString(),
                "--main",
                "com.example.Hello",
                "--memory",
                "256",
                "--timeout",
                "30000",
                "--logsize",
                "5",
                "-p",
                "greeting",
                "hi there",
                "-p",
                "count",
                "3",
                "-a",
                "description",
                "says hi");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("ok: created action hello\n");
        FakeApi.Request request = api.only();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.query()).isNull();
        assertThat(request.basicAuth()).isEqualTo(CliRunner.AUTH);
        assertThat(request.json())
                .isEqualTo(Json.parse("""
                {"exec":{"kind":"java","code":"%s","binary":true,"main":"com.example.Hello"},
                 "parameters":[{"key":"greeting","value":"hi there"},{"key":"count","value":3}],
                 "annotations":[{"key":"description","value":"says hi"}],
                 "limits":{"timeout":30000,"memory":256,"logs":5}}
                """.formatted(Base64.getEncoder().encodeToString(JAR))));
    }

    @Test
    void updateAddsOverwriteAndSendsOnlyWhatWasGiven() {
        api.on("PUT", "/api/v1/namespaces/guest/actions/pkg/hello", 200, "{}");

        CliRunner.Result result = cli.run("action", "update", "/guest/pkg/hello", "-p", "x", "1");

        assertThat(result.out()).isEqualTo("ok: updated action /guest/pkg/hello\n");
        FakeApi.Request request = api.only();
        assertThat(request.query()).isEqualTo("overwrite=true");
        assertThat(request.json()).isEqualTo(Json.parse("{\"parameters\":[{\"key\":\"x\",\"value\":1}]}"));
    }

    @Test
    void modelBundleZipWithDjlKindGoesAsBinary() throws Exception {
        Path zip = Files.write(dir.resolve("resnet.zip"), new byte[] {1, 2, 3});
        api.on("PUT", "/api/v1/namespaces/_/actions/resnet", 200, "{}");

        CliRunner.Result result =
                cli.run("action", "create", "resnet", zip.toString(), "--kind", "djl:pytorch", "--memory", "2048");

        assertThat(result.exitCode()).isZero();
        assertThat(api.only().json())
                .isEqualTo(Json.parse("{\"exec\":{\"kind\":\"djl:pytorch\",\"code\":\"AQID\",\"binary\":true},"
                        + "\"parameters\":[],\"annotations\":[],\"limits\":{\"memory\":2048}}"));
    }

    @Test
    void paramAndAnnotationFilesAreMerged() throws Exception {
        Path params = Files.writeString(dir.resolve("p.json"), "{\"model\":\"resnet\",\"topK\":5}");
        Path annotations = Files.writeString(dir.resolve("a.json"), "{\"slo\":{\"p99\":100}}");
        api.on("PUT", "/api/v1/namespaces/_/actions/hello", 200, "{}");

        cli.run(
                "action",
                "create",
                "hello",
                jar.toString(),
                "-m",
                "H",
                "--param-file",
                params.toString(),
                "-p",
                "topK",
                "3",
                "--annotation-file",
                annotations.toString());

        assertThat(api.only().json().getAsJsonObject().get("parameters"))
                .isEqualTo(Json.parse("[{\"key\":\"model\",\"value\":\"resnet\"},{\"key\":\"topK\",\"value\":3}]"));
        assertThat(api.only().json().getAsJsonObject().get("annotations"))
                .isEqualTo(Json.parse("[{\"key\":\"slo\",\"value\":{\"p99\":100}}]"));
    }

    @Test
    void usageErrorsExitTwoAndSendNothing() throws Exception {
        Path zip = Files.write(dir.resolve("model.zip"), new byte[] {1});

        CliRunner.Result noMain = cli.run("action", "create", "hello", jar.toString());
        CliRunner.Result noKind = cli.run("action", "create", "m", zip.toString());
        CliRunner.Result noFile =
                cli.run("action", "create", "m", dir.resolve("nope.jar").toString());
        CliRunner.Result badName = cli.run("action", "create", "a/b/c", jar.toString(), "-m", "X");

        assertThat(noMain.exitCode()).isEqualTo(2);
        assertThat(noMain.err())
                .isEqualTo("error: Java actions need --main with the fully qualified name of the main class\n");
        assertThat(noKind.exitCode()).isEqualTo(2);
        assertThat(noKind.err()).contains("give --kind");
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("does not exist");
        assertThat(badName.exitCode()).isEqualTo(2);
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void serverErrorIsPrintedWithItsCode() {
        api.on(
                "PUT",
                "/api/v1/namespaces/_/actions/hello",
                409,
                "{\"error\":\"resource already exists\",\"code\":\"tx409\"}");

        CliRunner.Result result = cli.run("action", "create", "hello", jar.toString(), "-m", "H");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: resource already exists (code tx409)\n");
    }

    @Test
    void getPrintsPrettyJsonLikeWsk() {
        api.on(
                "GET",
                "/api/v1/namespaces/_/actions/hello",
                200,
                "{\"name\":\"hello\",\"namespace\":\"guest\",\"parameters\":[{\"key\":\"a\",\"value\":1}]}");

        CliRunner.Result result = cli.run("action", "get", "hello");

        assertThat(api.only().query()).isEqualTo("code=false");
        assertThat(result.out()).isEqualTo("""
            ok: got action hello
            {
                "name": "hello",
                "namespace": "guest",
                "parameters": [
                    {
                        "key": "a",
                        "value": 1
                    }
                ]
            }
            """);
        assertThat(cli.run("action", "get", "hello", "--summary").out())
                .isEqualTo("action /guest/hello\n   (parameters: a)\n");
    }

    @Test
    void listPrintsATable() {
        api.on("GET", "/api/v1/namespaces/_/actions", 200, """
        [{"namespace":"guest","name":"hello","version":"0.0.2","publish":false,"exec":{"kind":"java","binary":true}},
         {"namespace":"guest/pkg","name":"resnet","version":"0.0.1","publish":true,"exec":{"kind":"djl:pytorch"}}]
        """);

        CliRunner.Result result = cli.run("action", "list", "--limit", "5", "--skip", "2");

        assertThat(api.only().query()).isEqualTo("limit=5&skip=2");
        assertThat(result.out())
                .isEqualTo("actions\n"
                        + String.format("%-50s %-8s %-7s %s%n", "/guest/hello", "0.0.2", "private", "java")
                        + String.format("%-50s %-8s %-7s %s%n", "/guest/pkg/resnet", "0.0.1", "shared", "djl:pytorch"));
    }

    @Test
    void deleteSendsDeleteAndSaysOk() {
        api.on("DELETE", "/api/v1/namespaces/_/actions/hello", 200, "{}");

        CliRunner.Result result = cli.run("action", "delete", "hello");

        assertThat(api.only().method()).isEqualTo("DELETE");
        assertThat(result.out()).isEqualTo("ok: deleted action hello\n");
    }

    @Test
    void notFoundIsAServerError() {
        CliRunner.Result result = cli.run("action", "delete", "nope");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: The requested resource does not exist. (code tx404)\n");
    }
}
