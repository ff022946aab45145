package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The READY line, {@code /stats}, and the JVM flags the invoker is told to use. */
class StartupTest {

    @TempDir
    Path dir;

    @Test
    void printsTheReadyLineWithItsPortAndStartupTime() throws Exception {
        try (ProxyProcess proxy = ProxyProcess.start()) {
            assertThat(proxy.readyLine).matches("HEARTH_PROXY_READY port=\\d+ startupMs=\\d+");
            assertThat(proxy.port).isPositive();
            assertThat(proxy.startupMs).isBetween(1L, 10_000L);
        }
    }

    @Test
    void statsReportTimesHeapRunsAndTheAction() throws Exception {
        try (ProxyProcess proxy = ProxyProcess.start()) {
            JsonObject before = proxy.get("/stats").body();
            assertThat(before.get("startupMs").getAsLong()).isEqualTo(proxy.startupMs);
            assertThat(before.get("uptimeMs").getAsLong()).isGreaterThanOrEqualTo(proxy.startupMs);
            assertThat(before.get("initMs").isJsonNull()).isTrue();
            assertThat(before.get("action").isJsonNull()).isTrue();
            assertThat(before.get("runs").getAsLong()).isZero();
            assertThat(before.get("heapUsedBytes").getAsLong()).isPositive();
            assertThat(before.get("heapCommittedBytes").getAsLong())
                    .isGreaterThanOrEqualTo(before.get("heapUsedBytes").getAsLong());

            JsonObject value = new JsonObject();
            value.addProperty("name", "echo-action");
            value.addProperty("main", ActionFixture.ECHO.mainClass());
            value.addProperty(
                    "codePath", ActionJars.build(dir, ActionFixture.ECHO).toString());
            assertThat(proxy.init(value).status()).isEqualTo(200);
            proxy.run(new JsonObject());

            JsonObject after = proxy.get("/stats").body();
            assertThat(after.get("action").getAsString()).isEqualTo("echo-action");
            assertThat(after.get("initMs").getAsLong()).isNotNegative();
            assertThat(after.get("runs").getAsLong()).isEqualTo(1);
        }
    }

    @Test
    void startsWithTheRecommendedFlags() throws Exception {
        try (ProxyProcess proxy = ProxyProcess.start(RuntimeProxy.RECOMMENDED_JVM_FLAGS)) {
            assertThat(proxy.get("/stats").status()).isEqualTo(200);
        }
    }

    @Test
    void startsWithAnAppCdsArchiveWhichTheFirstRunCreates() throws Exception {
        Path archive = dir.resolve("proxy.jsa");
        List<String> flags = RuntimeProxy.jvmFlags(archive);
        assertThat(flags)
                .containsAll(RuntimeProxy.RECOMMENDED_JVM_FLAGS)
                .contains("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + archive.toAbsolutePath());
        Path proxyJar = ProxyProcess.proxyJar(dir);
        try (ProxyProcess first = ProxyProcess.start(flags, proxyJar)) {
            first.process.destroy(); // a normal exit (SIGTERM) writes the archive
            first.process.waitFor();
        }
        assertThat(archive).exists();
        assertThat(Files.size(archive)).isPositive();
        try (ProxyProcess second = ProxyProcess.start(flags, proxyJar)) {
            assertThat(second.get("/stats").status()).isEqualTo(200);
        }
    }

    @Test
    void unknownOptionsAreRefused() throws Exception {
        List<String> command = new java.util.ArrayList<>(ProxyProcess.command(List.of(), ProxyProcess.proxyClasses()));
        command.add("--bogus");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(output).contains("unknown or incomplete option: --bogus").contains("usage:");
    }
}
