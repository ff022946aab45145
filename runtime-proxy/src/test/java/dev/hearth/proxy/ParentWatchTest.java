package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With --exit-with-parent the proxy ends when its stdin closes, as when the invoker dies. */
class ParentWatchTest {

    private static Process start(boolean exitWithParent) throws Exception {
        List<String> command =
                new ArrayList<>(ProxyProcess.command(RuntimeProxy.RECOMMENDED_JVM_FLAGS, ProxyProcess.proxyClasses()));
        if (exitWithParent) {
            command.add("--exit-with-parent");
        }
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(ready).startsWith(RuntimeProxy.READY_PREFIX);
        return p;
    }

    @Test
    void exitsWhenStdinCloses() throws Exception {
        Process p = start(true);
        p.getOutputStream().close();
        assertThat(p.waitFor(5, TimeUnit.SECONDS))
                .as("proxy exited after its parent's pipe closed")
                .isTrue();
    }

    @Test
    void withoutTheOptionItKeepsRunning() throws Exception {
        Process p = start(false);
        try {
            p.getOutputStream().close();
            assertThat(p.waitFor(1, TimeUnit.SECONDS)).isFalse();
        } finally {
            p.destroyForcibly().waitFor();
        }
    }
}
