package dev.hearth.testsupport;

import dev.hearth.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * The check behind {@link RequiresDocker}: tests that need a real Docker engine (on {@code /var/run/docker.sock}) with the locally built
 * {@code hearth/runtime-proxy:latest} image, and tags them {@code docker} ({@code -Dgroups=docker}
 * runs only them). Without an engine or the image they are skipped with a loud message saying how to
 * get one ({@code deploy/docker/engine up}, {@code deploy/docker/build-images}); under {@code CI=true}
 * they fail instead: CI must not pass by skipping them.
 */
public final class DockerEngine {
    private DockerEngine() {}

    public static final String SOCKET = "/var/run/docker.sock";
    public static final String IMAGE = "hearth/runtime-proxy:latest";

    /** Why Docker tests cannot run here, or empty when they can. */
    public static Optional<String> unavailable() {
        Path socket = Path.of(SOCKET);
        try {
            String ping = get(socket, "/_ping");
            if (!ping.startsWith("HTTP/1.1 200") && !ping.startsWith("HTTP/1.0 200")) {
                return Optional.of("the engine at " + SOCKET + " answered "
                        + ping.lines().findFirst().orElse(""));
            }
            String image = get(socket, "/images/" + IMAGE + "/json");
            if (!image.startsWith("HTTP/1.1 200") && !image.startsWith("HTTP/1.0 200")) {
                return Optional.of("the engine has no image " + IMAGE + " (run deploy/docker/build-images)");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("no Docker engine at " + SOCKET + " (" + e.getMessage()
                    + "; run deploy/docker/engine up, then deploy/docker/build-images)");
        }
    }

    /**
     * The state ({@code running}, {@code paused}, {@code exited}, ...) of every container with label
     * {@code key=value}, as the engine lists them.
     */
    public static List<String> states(String key, String value) {
        String filter = URLEncoder.encode("{\"label\":[\"" + key + "=" + value + "\"]}", StandardCharsets.UTF_8);
        try {
            String response = get(Path.of(SOCKET), "/containers/json?all=true&filters=" + filter);
            JsonNode list = Json.tree(response.substring(response.indexOf("\r\n\r\n") + 4));
            List<String> states = new ArrayList<>();
            list.forEach(c -> states.add(c.path("State").asString()));
            return states;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String get(Path socket, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(
                    ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0 && out.size() < 1 << 20) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Enables the test when Docker is usable; skips loudly, or fails under {@code CI}. */
    public static final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<String> why = unavailable();
            if (why.isEmpty()) {
                return ConditionEvaluationResult.enabled("a Docker engine with " + IMAGE + " is reachable");
            }
            String message = "\n*** SKIPPED " + context.getDisplayName() + ": Docker tests need an engine: " + why.get()
                    + " ***\n";
            if (System.getenv("CI") != null) {
                throw new AssertionError("CI=true and" + message);
            }
            System.err.println(message);
            return ConditionEvaluationResult.disabled(message);
        }
    }
}
