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

/** The end-of-activation sentinels on stdout and stderr, and the action's output before them. */
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
    void refusedRunsAreFollowedBySentinelsToo() {
        assertThat(proxy.run(new JsonObject()).status()).isEqualTo(500);
        assertThat(proxy.stdoutUntilSentinel()).isEmpty();
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
