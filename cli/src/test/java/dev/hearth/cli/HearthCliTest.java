package dev.hearth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes and global behaviour of the root command. */
class HearthCliTest {
    @TempDir
    Path home;

    @Test
    void missingSubcommandIsAUsageError() {
        CliRunner.Result result = new CliRunner(home).run("action");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Missing required subcommand").contains("invoke");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(new CliRunner(home).run("action", "list", "--bogus").exitCode())
                .isEqualTo(2);
    }

    @Test
    void helpWorksOnSubcommands() {
        CliRunner.Result result = new CliRunner(home).run("action", "invoke", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: hearth action invoke").contains("--blocking");
    }

    @Test
    void verboseTracesToStderrAndKeepsStdoutClean() throws Exception {
        try (FakeApi api = new FakeApi().on("GET", "/api/v1/namespaces", 200, "[\"guest\"]")) {
            CliRunner.Result result = CliRunner.against(home, api).run("-v", "namespace", "list");

            assertThat(result.out()).isEqualTo("namespaces\nguest\n");
            assertThat(result.err()).contains("REQUEST: [GET]").contains("RESPONSE: Got response with code 200");
        }
    }
}
