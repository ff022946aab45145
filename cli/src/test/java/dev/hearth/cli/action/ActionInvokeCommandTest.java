package dev.hearth.cli.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.CliRunner;
import dev.hearth.cli.FakeApi;
import dev.hearth.cli.Json;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** action invoke: query flags, body, and the wsk-like output for each answer. */
class ActionInvokeCommandTest {
    static final String PATH = "/api/v1/namespaces/_/actions/hello";
    static final String ID = "0123456789abcdef0123456789abcdef";
    static final String ACTIVATION =
            "{\"activationId\":\"" + ID + "\",\"name\":\"hello\",\"response\":{\"status\":\"success\",\"statusCode\":0,"
                    + "\"success\":true,\"result\":{\"greeting\":\"hi\"}}}";

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
    void nonBlockingPrintsTheActivationId() {
        api.on("POST", PATH, 202, "{\"activationId\":\"" + ID + "\"}");

        CliRunner.Result result = cli.run("action", "invoke", "hello", "-p", "name", "Ada", "-p", "n", "2");

        FakeApi.Request request = api.only();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.query()).isEqualTo("blocking=false&result=false");
        assertThat(request.json()).isEqualTo(Json.parse("{\"name\":\"Ada\",\"n\":2}"));
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("ok: invoked /_/hello with id " + ID + "\n");
    }

    @Test
    void blockingPrintsTheActivation() {
        api.on("POST", PATH, 200, ACTIVATION);

        CliRunner.Result result = cli.run("action", "invoke", "hello", "--blocking");

        assertThat(api.only().query()).isEqualTo("blocking=true&result=false");
        assertThat(api.only().json()).isEqualTo(Json.parse("{}"));
        assertThat(result.out())
                .startsWith("ok: invoked /_/hello with id " + ID + "\n{\n    \"activationId\": \"" + ID + "\",")
                .contains("\"greeting\": \"hi\"");
    }

    @Test
    void resultImpliesBlockingAndPrintsOnlyTheResult() {
        api.on("POST", PATH, 200, "{\"greeting\":\"hi\"}");

        CliRunner.Result result = cli.run("action", "invoke", "hello", "-r");

        assertThat(api.only().query()).isEqualTo("blocking=true&result=true");
        assertThat(result.out()).isEqualTo("{\n    \"greeting\": \"hi\"\n}\n");
    }

    @Test
    void blockingThatRanOutOfTimeSaysToUseActivationGet() {
        api.on("POST", PATH, 202, "{\"activationId\":\"" + ID + "\"}");

        CliRunner.Result result = cli.run("action", "invoke", "hello", "-b");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .isEqualTo("ok: invoked /_/hello, but the request has not yet finished, with id " + ID + "\n"
                        + "run 'hearth activation get " + ID + "' to see the activation when it finishes\n");
    }

    @Test
    void applicationErrorPrintsTheActivationAndExitsNonZero() {
        String failed =
                "{\"activationId\":\"" + ID + "\",\"response\":{\"status\":\"application error\",\"statusCode\":1,"
                        + "\"success\":false,\"result\":{\"error\":\"boom\"}}}";
        api.on("POST", PATH, 502, failed);

        CliRunner.Result result = cli.run("action", "invoke", "hello", "-b");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out())
                .startsWith("ok: invoked /_/hello with id " + ID + "\n{")
                .contains("\"error\": \"boom\"");
        assertThat(result.err()).isEqualTo("error: action /_/hello ended with an application error (id " + ID + ")\n");
    }

    @Test
    void applicationErrorWithResultPrintsTheResultAndTakesTheIdFromTheHeader() {
        api.on("POST", PATH, 502, "{\"error\":\"boom\"}", Map.of("x-openwhisk-activation-id", ID));

        CliRunner.Result result = cli.run("action", "invoke", "hello", "--result");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("{\n    \"error\": \"boom\"\n}\n");
        assertThat(result.err()).isEqualTo("error: action /_/hello failed: failed (id " + ID + ")\n");
    }

    @Test
    void unauthorizedPrintsTheServersError() {
        api.on("POST", PATH, 401, "{\"error\":\"The supplied authentication is invalid.\",\"code\":\"tx401\"}");

        CliRunner.Result result = cli.run("action", "invoke", "hello", "-r");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: The supplied authentication is invalid. (code tx401)\n");
    }

    @Test
    void platformErrorBodyOn502IsNotMistakenForAResult() {
        api.on("POST", PATH, 502, "{\"error\":\"no invoker answered\",\"code\":\"tx502\"}");

        CliRunner.Result result = cli.run("action", "invoke", "hello", "-r");

        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: no invoker answered (code tx502)\n");
    }

    @Test
    void connectionRefusedNamesTheApiHost() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        CliRunner.Result result = cli.run("action", "invoke", "hello", "--apihost", "127.0.0.1:" + port);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err())
                .startsWith("error: cannot reach the Hearth API at http://127.0.0.1:" + port + " (connection refused)")
                .contains("bin/hearth up");
    }
}
