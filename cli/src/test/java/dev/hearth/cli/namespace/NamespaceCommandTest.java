package dev.hearth.cli.namespace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.CliRunner;
import dev.hearth.cli.FakeApi;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceCommandTest {
    @Test
    void listsNamespaces(@TempDir Path dir) throws Exception {
        try (FakeApi api = new FakeApi().on("GET", "/api/v1/namespaces", 200, "[\"guest\",\"ml\"]")) {
            CliRunner.Result result = CliRunner.against(dir, api).run("namespace", "list");

            assertThat(api.only().method()).isEqualTo("GET");
            assertThat(api.only().basicAuth()).isEqualTo(CliRunner.AUTH);
            assertThat(result.out()).isEqualTo("namespaces\nguest\nml\n");
        }
    }
}
