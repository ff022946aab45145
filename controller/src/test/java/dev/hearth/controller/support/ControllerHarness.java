package dev.hearth.controller.support;

import dev.hearth.common.json.Json;
import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.controller.ControllerApplication;
import dev.hearth.testsupport.InMemoryMessaging;
import dev.hearth.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A controller running on a random port over a fresh embedded PostgreSQL database and in-memory
 * messaging, with an HTTP client that speaks to it as {@code guest}. One per test class.
 */
public final class ControllerHarness implements AutoCloseable {
    public static final String GUEST_UUID = "23bc46b1-71f6-4ed5-8c54-816aa4f8c502";
    public static final String GUEST_KEY = "123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";
    public static final String GUEST_AUTH = GUEST_UUID + ":" + GUEST_KEY;

    public final InMemoryMessaging messaging = new InMemoryMessaging();
    public final JdbcClient jdbc;
    public final DataSource dataSource;
    private final ConfigurableApplicationContext context;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** A response: status, body text, and the body as JSON when it is JSON. */
    public record Reply(int status, String text, HttpResponse<String> raw) {
        public JsonNode json() {
            return Json.tree(text);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public static ControllerHarness start(String... properties) {
        return start(null, properties);
    }

    public static ControllerHarness start(Clock clock, String... properties) {
        return new ControllerHarness(clock, properties);
    }

    private ControllerHarness(Clock clock, String... properties) {
        TestDatabase.Database db = TestDatabase.fresh();
        List<String> props = new ArrayList<>(List.of(
                "server.port=0",
                "spring.datasource.url=" + db.jdbcUrl(),
                "spring.datasource.username=" + db.user(),
                "spring.datasource.password=" + db.password(),
                "hearth.controller.guest.key=" + GUEST_AUTH,
                "management.server.port=",
                "logging.level.root=WARN"));
        props.addAll(List.of(properties));
        SpringApplicationBuilder builder = ControllerApplication.builder()
                .properties(props.toArray(String[]::new))
                .initializers(ctx -> {
                    ctx.getBeanFactory().registerSingleton("messagingProvider", (MessagingProvider) messaging);
                    if (clock != null) {
                        ctx.getBeanFactory().registerSingleton("clock", clock);
                    }
                });
        context = builder.run();
        dataSource = context.getBean(DataSource.class);
        jdbc = JdbcClient.create(dataSource);
        base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Adds a namespace with a key, stored as the controller stores keys; returns {@code uuid:key}. */
    public String addNamespace(String name) {
        UUID uuid = UUID.randomUUID();
        String key = "k" + UUID.randomUUID().toString().replace("-", "");
        byte[] salt = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            jdbc.sql("insert into namespaces (name, uuid, key_salt, key_hash) values (?, ?, ?, ?)")
                    .params(
                            name,
                            uuid,
                            HexFormat.of().formatHex(salt),
                            HexFormat.of().formatHex(sha.digest()))
                    .update();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return uuid + ":" + key;
    }

    public Reply get(String path) {
        return send("GET", path, null, GUEST_AUTH);
    }

    public Reply delete(String path) {
        return send("DELETE", path, null, GUEST_AUTH);
    }

    public Reply put(String path, String body) {
        return send("PUT", path, body, GUEST_AUTH);
    }

    public Reply post(String path, String body) {
        return send("POST", path, body, GUEST_AUTH);
    }

    public Reply send(String method, String path, String body, String auth) {
        return send(
                method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), auth, "application/json");
    }

    public Reply send(String method, String path, byte[] body, String auth, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null) {
            b.header("Content-Type", contentType);
        }
        if (auth != null) {
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends a body from a publisher (streamed: {@code ofInputStream} is chunked, {@code fromPublisher(p,
     * length)} has a Content-Length) with extra headers; {@code auth} null sends none.
     */
    public Reply stream(
            String method,
            String path,
            HttpRequest.BodyPublisher body,
            String auth,
            java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofMinutes(5))
                .method(method, body);
        headers.forEach(b::header);
        if (auth != null) {
            b.header(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many large objects the database holds (every stored artifact is one). */
    public long largeObjects() {
        return jdbc.sql("select count(*) from pg_largeobject_metadata")
                .query(Long.class)
                .single();
    }

    public HttpClient client() {
        return http;
    }

    public String base() {
        return base;
    }

    @Override
    public void close() {
        context.close();
    }
}
