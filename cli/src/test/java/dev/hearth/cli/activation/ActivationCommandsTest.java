package dev.hearth.cli.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.CliRunner;
import dev.hearth.cli.FakeApi;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** activation list|get|result|logs|poll: requests and output. */
class ActivationCommandsTest {
    static final String LIST = "/api/v1/namespaces/_/activations";
    static final String ID = "0123456789abcdef0123456789abcdef";
    static final String ID2 = "fedcba9876543210fedcba9876543210";

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

    static String record(String id, String name, long start) {
        return """
        {"activationId":"%s","name":"%s","version":"0.0.1","start":%d,"duration":42,
         "response":{"statusCode":0},"logs":["2024-01-01T12:00:00.000Z stdout: hi from %s"],
         "annotations":[{"key":"kind","value":"java"},{"key":"initTime","value":100}]}
        """.formatted(id, name, start, id);
    }

    @Test
    void listAsksForDocsWithFiltersAndPrintsTheTable() {
        api.on("GET", LIST, 200, "[" + record(ID, "hello", 1_704_110_400_000L) + "]");

        CliRunner.Result result = cli.run(
                "activation", "list", "pkg/hello", "--limit", "5", "--skip", "1", "--since", "10", "--upto", "20");

        assertThat(api.only().query()).isEqualTo("docs=true&limit=5&skip=1&since=10&upto=20&name=pkg%2Fhello");
        assertThat(result.out())
                .isEqualTo(
                        "Datetime            Activation ID                    Kind      Start Duration   Status            Entity\n"
                                + "2024-01-01 12:00:00 " + ID
                                + " java      cold  42ms       success           hello:0.0.1\n");
    }

    @Test
    void listDefaultsToThirty() {
        api.on("GET", LIST, 200, "[]");

        cli.run("activation", "list");

        assertThat(api.only().query()).isEqualTo("docs=true&limit=30&skip=0");
    }

    @Test
    void getPrintsTheRecord() {
        api.on("GET", LIST + "/" + ID, 200, "{\"activationId\":\"" + ID + "\"}");

        CliRunner.Result result = cli.run("activation", "get", ID);

        assertThat(result.out())
                .isEqualTo("ok: got activation " + ID + "\n{\n    \"activationId\": \"" + ID + "\"\n}\n");
    }

    @Test
    void getLastAsksForTheNewestFirst() {
        api.on("GET", LIST, 200, "[{\"activationId\":\"" + ID2 + "\"}]");
        api.on("GET", LIST + "/" + ID2, 200, "{\"activationId\":\"" + ID2 + "\"}");

        CliRunner.Result result = cli.run("activation", "get", "--last");

        assertThat(api.requests()).extracting(FakeApi.Request::query).containsExactly("limit=1&skip=0", null);
        assertThat(result.out()).startsWith("ok: got activation " + ID2 + "\n");
    }

    @Test
    void getWithoutIdOrLastIsAUsageError() {
        CliRunner.Result result = cli.run("activation", "get");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("error: give an activation ID or --last\n");
    }

    @Test
    void resultPrintsTheResultOnly() {
        api.on(
                "GET",
                LIST + "/" + ID + "/result",
                200,
                "{\"result\":{\"answer\":42},\"status\":\"success\",\"success\":true}");

        assertThat(cli.run("activation", "result", ID).out()).isEqualTo("{\n    \"answer\": 42\n}\n");
    }

    @Test
    void logsPrintOneLinePerLineAndStripOnRequest() {
        api.on(
                "GET",
                LIST + "/" + ID + "/logs",
                200,
                "{\"logs\":[\"2024-01-01T00:00:00.000Z stdout: hello\",\"2024-01-01T00:00:00.001Z stderr: oops: bad\",\"plain\"]}");

        assertThat(cli.run("activation", "logs", ID).out())
                .isEqualTo(
                        "2024-01-01T00:00:00.000Z stdout: hello\n2024-01-01T00:00:00.001Z stderr: oops: bad\nplain\n");
        assertThat(cli.run("activation", "logs", ID, "--strip").out()).isEqualTo("hello\noops: bad\nplain\n");
    }

    @Test
    void pollPrintsEachNewActivationOnceOldestFirstUntilExit() {
        long t0 = cli.now().toEpochMilli();
        api.on("GET", LIST, 200, "[]");
        api.on("GET", LIST, 200, "[" + record(ID2, "b", t0 + 200) + "," + record(ID, "a", t0 + 100) + "]");
        api.on("GET", LIST, 200, "[" + record(ID2, "b", t0 + 200) + "," + record(ID, "a", t0 + 100) + "]");

        CliRunner.Result result = cli.run("activation", "poll", "hello", "--exit", "3");

        assertThat(result.exitCode()).isZero();
        assertThat(api.requests()).hasSize(3);
        assertThat(api.requests().getFirst().query()).isEqualTo("docs=true&limit=200&since=" + t0 + "&name=hello");
        assertThat(cli.sleeps()).containsOnly(Duration.ofSeconds(1)).hasSize(3);
        assertThat(result.out()).isEqualTo("""
            Enter Ctrl-c to exit.
            Polling for activation logs

            Activation: 'a' (%s)
            [
                "2024-01-01T12:00:00.000Z stdout: hi from %s"
            ]

            Activation: 'b' (%s)
            [
                "2024-01-01T12:00:00.000Z stdout: hi from %s"
            ]
            """.formatted(ID, ID, ID2, ID2));
    }

    @Test
    void pollKeepsGoingAfterAServerError() {
        api.on("GET", LIST, 500, "{\"error\":\"db down\",\"code\":\"tx5\"}");
        api.on("GET", LIST, 200, "[]");

        CliRunner.Result result = cli.run("activation", "poll", "--exit", "2");

        assertThat(result.exitCode()).isZero();
        assertThat(api.requests()).hasSize(2);
        assertThat(result.err()).isEqualTo("warning: db down (code tx5)\n");
    }
}
