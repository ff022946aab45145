package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-of-activation sentinels on stdout and stderr, and the action's output before them: a stream gets one
 * when something was printed on it since its last one, and the answer's {@code X-Hearth-Logs} header says which
 * (a refusal, without that header, is followed by both).
 */
class SentinelTest {

    @TempDir
    Path jars;

    ProxyProcess proxy;

    @BeforeEach
    void startProxy() {
        proxy = ProxyProcess.start();
    }

    @AfterEach
    void stopProxy() throws InterruptedException {
        proxy.close();
    }

    @Test
    void eachRunEndsWithASentinelOnBothStreamsAfterTheActionsOutput() {
        assertThat(proxy.init(ActionJars.build(jars, ActionFixture.LOGS), ActionFixture.LOGS.mainClass())
                        .status())
                .isEqualTo(200);
        for (int lines = 1; lines <= 3; lines++) {
            JsonObject params = new JsonObject();
            params.addProperty("lines", lines);
            assertThat(proxy.run(params).body().get("lines").getAsInt()).isEqualTo(lines);
            // The response comes after the sentinels were flushed, so both are already on their way.
            assertThat(proxy.stdoutUntilSentinel()).containsExactly(expected("stdout", lines));
            assertThat(proxy.stderrUntilSentinel()).containsExactly(expected("stderr", lines));
        }
    }

    @Test
    void outputWithoutATrailingNewlineStillGetsTheSentinelOnItsOwnLine() {
        Path jar = ActionJars.build(jars, "com.example.Partial", """
                package com.example;
                import com.google.gson.JsonObject;
                public class Partial {
                    public static JsonObject main(JsonObject args) {
                        System.out.print("no newline on stdout");
                        System.err.print("nor on stderr");
                        return args;
                    }
                }
                """);
        assertThat(proxy.init(jar, "com.example.Partial").status()).isEqualTo(200);
        assertThat(proxy.run(new JsonObject()).status()).isEqualTo(200);
        assertThat(proxy.stdoutUntilSentinel()).containsExactly("no newline on stdout");
        assertThat(proxy.stderrUntilSentinel()).containsExactly("nor on stderr");
    }

    @Test
    void refusedRunsAreFollowedBySentinelsOnBothStreamsAndNameNone() {
        ProxyProcess.Response refused = proxy.run(new JsonObject());
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.headers().firstValue(ActivationLogs.HEADER)).isEmpty();
        assertThat(proxy.stdoutUntilSentinel()).isEmpty();
        assertThat(proxy.stderrUntilSentinel()).isEmpty();
    }

    @Test
    void aRunThatPrintsNothingIsFollowedByNoSentinelAndTheNextOneThatPrintsGetsItsOwn() throws Exception {
        assertThat(proxy.init(ActionJars.build(jars, ActionFixture.LOGS), ActionFixture.LOGS.mainClass())
                        .status())
                .isEqualTo(200);
        JsonObject none = new JsonObject();
        none.addProperty("lines", 0);
        assertThat(proxy.run(none).status()).isEqualTo(200);
        proxy.stdoutUntilSentinel(); // the start-up's announcement was printed on stdout before this first run
        ProxyProcess.Response quiet = proxy.run(none);
        assertThat(quiet.headers().firstValue(ActivationLogs.HEADER)).hasValue("none");
        assertThat(proxy.drainStdout(Duration.ofMillis(300))).as("no sentinel").isEmpty();
        assertThat(proxy.stderrUntilSentinel()).as("nothing on stderr").isEmpty();

        JsonObject two = new JsonObject();
        two.addProperty("lines", 2);
        ProxyProcess.Response printing = proxy.run(two);
        assertThat(printing.headers().firstValue(ActivationLogs.HEADER)).hasValue("stdout,stderr");
        assertThat(proxy.stdoutUntilSentinel()).containsExactly("stdout 1", "stdout 2");
        assertThat(proxy.stderrUntilSentinel()).containsExactly("stderr 1", "stderr 2");
    }

    @Test
    void onlyTheStreamPrintedOnGetsASentinel() {
        Path jar = ActionJars.build(jars, "com.example.OutOnly", """
                package com.example;
                import com.google.gson.JsonObject;
                public class OutOnly {
                    public static JsonObject main(JsonObject args) {
                        System.out.println("only stdout");
                        return args;
                    }
                }
                """);
        assertThat(proxy.init(jar, "com.example.OutOnly").status()).isEqualTo(200);
        ProxyProcess.Response run = proxy.run(new JsonObject());
        assertThat(run.headers().firstValue(ActivationLogs.HEADER)).hasValue("stdout");
        assertThat(proxy.stdoutUntilSentinel()).containsExactly("only stdout");
        assertThat(proxy.stderrUntilSentinel()).isEmpty();
    }

    @Test
    void initPrintsNoSentinel() throws InterruptedException {
        assertThat(proxy.init(ActionJars.build(jars, ActionFixture.ECHO), ActionFixture.ECHO.mainClass())
                        .status())
                .isEqualTo(200);
        assertThat(proxy.drainStdout(Duration.ofMillis(200))).isEmpty();
    }

    private static String[] expected(String stream, int lines) {
        String[] out = new String[lines];
        for (int i = 0; i < lines; i++) {
            out[i] = stream + " " + (i + 1);
        }
        return out;
    }
}
