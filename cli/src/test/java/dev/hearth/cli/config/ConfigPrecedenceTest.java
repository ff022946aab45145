package dev.hearth.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.cli.CliRunner;
import dev.hearth.cli.FakeApi;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which API host and key a command uses: flag &gt; $HEARTH_CONFIG file &gt; ~/.hearth/config. */
class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    FakeApi api;
    CliRunner cli;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi().on("GET", "/api/v1/namespaces", 200, "[\"guest\"]");
        cli = new CliRunner(dir.resolve("home"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void homeConfigIsUsedWhenNothingElseIsGiven() {
        cli.writeConfig(dir.resolve("home/.hearth/config"), "APIHOST=" + api.apiHost(), "AUTH=home:key");

        assertThat(cli.run("namespace", "list").exitCode()).isZero();
        assertThat(api.only().basicAuth()).isEqualTo("home:key");
    }

    @Test
    void hearthConfigFileWinsOverHomeConfig() {
        cli.writeConfig(dir.resolve("home/.hearth/config"), "APIHOST=localhost:1", "AUTH=home:key");
        cli.writeConfig(dir.resolve("other.properties"), "APIHOST=" + api.apiHost(), "AUTH=env:key");
        cli.env("HEARTH_CONFIG", dir.resolve("other.properties").toString());

        assertThat(cli.run("namespace", "list").exitCode()).isZero();
        assertThat(api.only().basicAuth()).isEqualTo("env:key");
    }

    @Test
    void flagsWinOverConfigFiles() {
        cli.writeConfig(dir.resolve("other.properties"), "APIHOST=localhost:1", "AUTH=env:key");
        cli.env("HEARTH_CONFIG", dir.resolve("other.properties").toString());

        CliRunner.Result result = cli.run("namespace", "list", "--apihost", api.apiHost(), "-u", "flag:key");

        assertThat(result.exitCode()).isZero();
        assertThat(api.only().basicAuth()).isEqualTo("flag:key");
    }

    @Test
    void flagsBeforeTheSubcommandWorkToo() {
        String host = api.apiHost().replace("http://", ""); // host:port without scheme means http
        CliRunner.Result result = cli.run("--apihost", host, "--auth", "root:key", "namespace", "list");

        assertThat(result.exitCode()).isZero();
        assertThat(api.only().basicAuth()).isEqualTo("root:key");
        assertThat(result.out()).isEqualTo("namespaces\nguest\n");
    }

    @Test
    void missingApiHostIsAUsageErrorThatSaysHowToSetIt() {
        CliRunner.Result result = cli.run("namespace", "list");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("error: no API host configured").contains("hearth property set --apihost");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void propertySetWritesThePlainFileAndGetReadsIt() throws Exception {
        CliRunner.Result set = cli.run("property", "set", "--apihost", "localhost:3233", "--auth", "uuid:key");

        assertThat(set.exitCode()).isZero();
        assertThat(set.out())
                .isEqualTo("ok: hearth API host set to localhost:3233\n"
                        + "ok: hearth auth set. Run 'hearth property get --auth' to see the new value.\n");
        assertThat(Files.readAllLines(dir.resolve("home/.hearth/config")))
                .containsExactly("APIHOST=localhost:3233", "AUTH=uuid:key");

        assertThat(cli.run("property", "get").out())
                .isEqualTo("hearth API host\t\tlocalhost:3233\nhearth auth\t\tuuid:key\nhearth namespace\t\t_\n");
        assertThat(cli.run("property", "get", "--apihost").out()).isEqualTo("hearth API host\t\tlocalhost:3233\n");
    }

    @Test
    void propertySetKeepsOtherKeysAndWritesToHearthConfigWhenSet() throws Exception {
        Path file = dir.resolve("custom/config");
        cli.writeConfig(file, "AUTH=old:key", "EXTRA=1");
        cli.env("HEARTH_CONFIG", file.toString());

        assertThat(cli.run("property", "set", "--apihost", "http://h:1/").exitCode())
                .isZero();

        assertThat(Files.readAllLines(file)).containsExactly("APIHOST=http://h:1/", "AUTH=old:key", "EXTRA=1");
        assertThat(dir.resolve("home/.hearth/config")).doesNotExist();
    }

    @Test
    void propertySetRejectsAnInvalidApiHost() {
        CliRunner.Result result = cli.run("property", "set", "--apihost", "ftp://x");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("not a valid API host");
    }
}
