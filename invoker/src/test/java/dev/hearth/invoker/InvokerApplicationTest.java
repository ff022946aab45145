package dev.hearth.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.id.ActivationId;
import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.CompletionMessage;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Message;
import dev.hearth.common.message.Messages;
import dev.hearth.common.message.Topics;
import dev.hearth.invoker.activation.ActivationService;
import dev.hearth.invoker.activation.WarmStarter;
import dev.hearth.invoker.artifact.StoredArtifacts;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.model.demo.DemoModels;
import dev.hearth.testsupport.ActionJars;
import dev.hearth.testsupport.InMemoryMessaging;
import dev.hearth.testsupport.SampleActivations;
import dev.hearth.testsupport.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The invoker as a whole: a real PostgreSQL, real runtime-proxy processes, messages through
 * InMemoryMessaging. 512 MB of user memory = two 256 MB containers.
 */
class InvokerApplicationTest {
    static final String PID_SOURCE = """
            package hearth.fixtures;
            import com.google.gson.JsonObject;
            public class Pid {
                public static JsonObject main(JsonObject args) throws Exception {
                    if (args.has("sleep")) Thread.sleep(args.get("sleep").getAsLong());
                    if (args.has("exit")) { System.out.println("bye"); System.out.flush(); System.exit(3); }
                    System.out.println("pid line");
                    JsonObject out = new JsonObject();
                    out.addProperty("pid", ProcessHandle.current().pid());
                    if (args.has("error")) out.addProperty("error", args.get("error").getAsString());
                    if (args.has("fail")) throw new IllegalStateException("it failed");
                    return out;
                }
            }
            """;

    /** A real cgroup v1 root where this machine has one (else the invoker logs once and goes on). */
    static final Path CGROUPS = Path.of(
            "/sys/fs/cgroup/memory/hearth-apptest-" + ProcessHandle.current().pid());

    @TempDir
    static Path dir;

    static TestDatabase.Database db;
    static InMemoryMessaging messaging = new InMemoryMessaging();
    static ConfigurableApplicationContext app;
    static String digest;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.fresh();
        Path jar = ActionJars.build(dir.resolve("jars"), "hearth.fixtures.Pid", PID_SOURCE);
        try (Connection c = connection()) {
            digest = StoredArtifacts.insert(c, jar);
        }
        app = InvokerApplication.builder()
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testMessaging", messaging))
                .properties(Map.of(
                        "server.port", "0",
                        "spring.datasource.url", db.jdbcUrl(),
                        "spring.datasource.username", db.user(),
                        "spring.datasource.password", db.password(),
                        "hearth.invoker.user-memory-mb", "512",
                        "hearth.invoker.idle-timeout", "4s",
                        "hearth.invoker.ping-interval", "200ms",
                        "hearth.invoker.data-dir", dir.resolve("data").toString(),
                        "hearth.invoker.process.cgroup-root", CGROUPS.toString()))
                .properties("hearth.invoker.tensors.root=" + dir.resolve("tensors"))
                .run();
        port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (Files.isDirectory(CGROUPS)) {
            try (var left = Files.list(CGROUPS)) {
                assertThat(left.filter(Files::isDirectory).toList())
                        .as("container cgroups removed")
                        .isEmpty();
            }
            Files.delete(CGROUPS);
        }
        assertThat(ProcessHandle.current()
                        .descendants()
                        .filter(p -> p.isAlive()
                                && p.info().commandLine().orElse("").contains("dev.hearth.proxy.RuntimeProxy"))
                        .toList())
                .as("no runtime proxy outlives the invoker")
                .isEmpty();
    }

    static Connection connection() throws Exception {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    static ActivationMessage message(String action, String json, int timeoutMs) {
        return message(action, json, timeoutMs, digest);
    }

    static ActivationMessage message(String action, String json, int timeoutMs, String code) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx-" + action.replace('/', '-'),
                ActivationId.generate().value(),
                "ns",
                "subject-1",
                "ns/" + action,
                "0.0.1",
                new ExecRef("java", "hearth.fixtures.Pid", code),
                new ActionLimits(timeoutMs, 256, 1, 1),
                List.of(),
                RawJson.of(Json.tree(json)),
                true,
                0,
                System.currentTimeMillis());
    }

    static CompletableFuture<CompletionMessage> send(ActivationMessage msg) {
        messaging.producer().send(Topics.invoker(0), Messages.encode(msg));
        return CompletableFuture.supplyAsync(() -> awaitCompletion(msg.activationId()));
    }

    static CompletionMessage awaitCompletion(String activationId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            for (byte[] bytes : messaging.sent(Topics.completed(0))) {
                CompletionMessage c = Messages.decode(bytes, CompletionMessage.class);
                if (c.activationId().equals(activationId)) {
                    return c;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no completion for " + activationId);
    }

    static CompletionMessage invoke(String action, String json) {
        return send(message(action, json, 10_000)).join();
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static long pid(CompletionMessage c) {
        return c.activation().response().result().get("pid").asLong();
    }

    static JsonNode annotation(Activation a, String key) {
        return a.annotation(key).orElse(null);
    }

    static JsonNode containers() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invoker/containers"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.tree(r.body());
    }

    static Set<String> actionsInPool() throws Exception {
        Set<String> out = new java.util.TreeSet<>();
        containers()
                .get("containers")
                .forEach(c ->
                        out.add(c.get("action") == null ? "?" : c.get("action").asString()));
        return out;
    }

    /** The MLP demo bundle's input: one 784-float vector. */
    static String mlpInput() {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 784; i++) {
            data.append(i == 0 ? "" : ",").append((i % 10) / 10.0);
        }
        return "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,784],\"data\":[" + data + "]}]}";
    }

    static HttpResponse<String> postDirect(byte[] body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invoker/activations"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pingsAdvertiseTheDirectEndpointAtTheServersPort() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String endpoint = null;
        while (endpoint == null && System.nanoTime() < deadline) {
            List<byte[]> pings = messaging.sent(Topics.HEALTH);
            endpoint = pings.isEmpty()
                    ? null
                    : Messages.decode(pings.get(pings.size() - 1), HealthPing.class)
                            .endpoint();
            sleep(50);
        }
        assertThat(endpoint).startsWith("http://").endsWith(":" + port);
    }

    @Test
    void aDirectActivationAnswersWithItsCompletionAndRunsOnceHoweverOftenItArrives() throws Exception {
        ActivationMessage msg = message("direct", "{\"x\":1}", 10_000);
        ActivationService service = app.getBean(ActivationService.class);
        long directBefore = service.directCount();
        HttpResponse<String> r = postDirect(Messages.encode(msg));
        assertThat(r.statusCode()).isEqualTo(200);
        CompletionMessage answered =
                Messages.decode(r.body().getBytes(StandardCharsets.UTF_8), CompletionMessage.class);
        assertThat(answered.activationId()).isEqualTo(msg.activationId());
        assertThat(pid(answered)).isPositive();
        assertThat(service.directCount()).isEqualTo(directBefore + 1);
        // answered first; the record is stored after (with others', within direct.store-delay), and then the
        // completion goes to Kafka too (it tells the controller the record is stored and releases its slot if
        // the answer is lost)
        assertThat(awaitCompletion(msg.activationId()).activationId()).isEqualTo(msg.activationId());
        try (Connection c = connection();
                PreparedStatement st = c.prepareStatement("select count(*) from activations where activation_id = ?")) {
            st.setString(1, msg.activationId());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1))
                        .as("stored before the completion went to Kafka")
                        .isEqualTo(1);
            }
        }

        HttpResponse<String> again = postDirect(Messages.encode(msg));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(Json.tree(again.body()).get("error").asString()).contains("already accepted");

        long duplicates = service.duplicateCount();
        messaging.producer().send(Topics.invoker(0), Messages.encode(msg)); // the controller's fallback
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (service.duplicateCount() == duplicates && System.nanoTime() < deadline) {
            sleep(20);
        }
        assertThat(service.duplicateCount()).as("skipped, not run again").isEqualTo(duplicates + 1);
        long completions = messaging.sent(Topics.completed(0)).stream()
                .map(b -> Messages.decode(b, CompletionMessage.class).activationId())
                .filter(msg.activationId()::equals)
                .count();
        assertThat(completions).isEqualTo(1);
    }

    @Test
    void aDirectBodyThatIsNoActivationMessageIs400InOpenWhisksShape() throws Exception {
        HttpResponse<String> r = postDirect("{\"schema\":1,".getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = Json.tree(r.body());
        assertThat(body.get("error").asString()).startsWith("The request content was malformed");
        assertThat(body.has("code")).isTrue();
    }

    @Test
    void theEngineIsWarmedUpOnceAtStart() {
        ProcessContainerFactory factory = (ProcessContainerFactory) app.getBean(ContainerFactory.class);
        var warmUp = factory.warmUp().join();
        assumeTrue(warmUp.engineReady(), "the runtime proxy has no POST /engine yet");
        System.out.printf(
                "TIMING engine warm-up at invoker start: %s %s engineInitMs=%d, call %d ms%n",
                warmUp.engine(), warmUp.version(), warmUp.engineInitMs(), warmUp.callMs());
        assertThat(warmUp.engine()).isEqualTo("PyTorch");
        assertThat(dir.resolve("data").resolve("djl-cache").resolve("pytorch")).isDirectory();
    }

    @Test
    void aModelActivationRecordsItsColdStartBreakdownAndInferenceTime() throws Exception {
        Path cache = dir.resolve("data").resolve("djl-cache"); // the invoker's default: one extraction here
        System.setProperty("DJL_CACHE_DIR", cache.toString());
        System.setProperty("ai.djl.offline", "true");
        Path bundle = DemoModels.mlp(Files.createDirectories(dir.resolve("models")));
        String modelDigest;
        try (Connection c = connection()) {
            modelDigest = StoredArtifacts.insert(c, bundle);
        }
        ActivationMessage cold = modelMessage("mlp", modelDigest);
        CompletionMessage first = send(cold).join();
        String error = String.valueOf(first.activation().response().result());
        assumeTrue(
                !error.contains("Unsupported kind") && !error.contains("No such endpoint"),
                "the runtime proxy does not run djl:pytorch yet: " + error);
        Activation a = first.activation();
        assertThat(a.response().success()).as(error).isTrue();
        assertThat(annotation(a, "kind").asString()).isEqualTo("djl:pytorch");
        assertThat(annotation(a, "startKind").asString()).isEqualTo("cold");
        long initTime = annotation(a, "initTime").asLong();
        JsonNode b = annotation(a, "initBreakdown");
        assertThat(b.get("containerStartMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(b.get("runtimeStartMs").asLong()).isPositive();
        assertThat(b.get("engineInitMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(b.get("modelLoadMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(b.get("engineInitMs").asLong() + b.get("modelLoadMs").asLong())
                .as("engine and model load happen within /init")
                .isLessThanOrEqualTo(initTime);
        assertThat(b.has("codeLoadMs")).isFalse();
        assertThat(a.logs()).as("no JVM warnings from loading libtorch").noneMatch(l -> l.contains("WARNING"));
        assertThat(annotation(a, "inferenceTime").asDouble()).isPositive().isLessThan((double) a.duration());
        assertThat(Files.exists(dir.resolve("data").resolve("artifacts").resolve(modelDigest + ".zip")))
                .isTrue();

        CompletionMessage second = send(modelMessage("mlp", modelDigest)).join();
        Activation w = second.activation();
        assertThat(annotation(w, "startKind").asString()).isEqualTo("warm");
        assertThat(w.annotation("initBreakdown")).isEmpty();
        assertThat(annotation(w, "inferenceTime").asDouble()).isPositive();
        System.out.printf(
                "TIMING model cold start (MLP, 512 MB): initBreakdown %s, initTime %d ms, waitTime %d ms, "
                        + "inference %.3f ms cold / %.3f ms warm%n",
                b,
                initTime,
                annotation(a, "waitTime").asLong(),
                annotation(a, "inferenceTime").asDouble(),
                annotation(w, "inferenceTime").asDouble());
    }

    static ActivationMessage modelMessage(String action, String code) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx-" + action,
                ActivationId.generate().value(),
                "ns",
                "subject-1",
                "ns/" + action,
                "0.0.1",
                new ExecRef("djl:pytorch", null, code),
                new ActionLimits(60_000, 512, 1, 1),
                List.of(),
                RawJson.of(Json.tree(mlpInput())),
                true,
                0,
                System.currentTimeMillis());
    }

    @Test
    void doesNotRunFlyway() {
        assertThat(app.getBeanNamesForType(org.flywaydb.core.Flyway.class)).isEmpty();
    }

    @Test
    void coldThenWarmRecordsAndCompletion() throws Exception {
        CompletionMessage first = invoke("warm", "{\"x\":1}");
        CompletionMessage second = invoke("warm", "{\"x\":2}");
        assertThat(pid(second)).as("same container").isEqualTo(pid(first));

        Activation a = first.activation();
        assertThat(first.systemError()).isFalse();
        assertThat(first.memoryMb()).isEqualTo(256);
        assertThat(first.invoker()).isZero();
        assertThat(a.namespace()).isEqualTo("ns");
        assertThat(a.name()).isEqualTo("warm");
        assertThat(a.subject()).isEqualTo("subject-1");
        assertThat(a.version()).isEqualTo("0.0.1");
        assertThat(a.publish()).isFalse();
        assertThat(a.duration()).isEqualTo(a.end() - a.start());
        assertThat(a.response().statusCode()).isZero();
        assertThat(a.response().success()).isTrue();
        assertThat(a.logs()).hasSize(1);
        assertThat(a.logs().getFirst()).endsWith("Z stdout: pid line");
        assertThat(annotation(a, "path").asString()).isEqualTo("ns/warm");
        assertThat(annotation(a, "kind").asString()).isEqualTo("java");
        assertThat(annotation(a, "limits"))
                .isEqualTo(Json.tree("{\"timeout\":10000,\"memory\":256,\"logs\":1,\"concurrency\":1}"));
        assertThat(annotation(a, "startKind").asString()).isEqualTo("cold");
        assertThat(annotation(a, "timeout").asBoolean()).isFalse();
        assertThat(annotation(a, "waitTime").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(annotation(a, "initTime").asLong()).isGreaterThanOrEqualTo(0).isLessThanOrEqualTo(a.duration());
        assertThat(a.annotations().stream().map(k -> k.key()).toList())
                .containsExactly(
                        "path",
                        "waitTime",
                        "kind",
                        "timeout",
                        "limits",
                        "initTime",
                        "initBreakdown",
                        "startKind",
                        "cpuThreads");
        assertThat(annotation(a, "cpuThreads").asInt())
                .as("alone on the invoker: every core")
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        JsonNode breakdown = annotation(a, "initBreakdown");
        assertThat(breakdown.get("containerStartMs").asLong()).isGreaterThanOrEqualTo(0);
        assertThat(breakdown.get("runtimeStartMs").asLong()).isPositive();
        assertThat(breakdown.has("engineInitMs")).as("no engine for java").isFalse();
        assertThat(breakdown.get("codeLoadMs").asLong())
                .isGreaterThanOrEqualTo(0)
                .isLessThanOrEqualTo(annotation(a, "initTime").asLong());
        assertThat(a.annotation("inferenceTime")).isEmpty();

        Activation w = second.activation();
        assertThat(annotation(w, "startKind").asString()).isEqualTo("warm");
        assertThat(w.annotation("initTime")).isEmpty();

        try (Connection c = connection();
                PreparedStatement s = c.prepareStatement(
                        "select namespace, name, start_ms, end_ms, status_code, record::text from activations where activation_id = ?")) {
            s.setString(1, a.activationId());
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("ns");
                assertThat(rs.getString(2)).isEqualTo("warm");
                assertThat(rs.getLong(3)).isEqualTo(a.start());
                assertThat(rs.getLong(4)).isEqualTo(a.end());
                assertThat(rs.getInt(5)).isZero();
                assertThat(Json.read(rs.getString(6), Activation.class)).isEqualTo(a);
            }
        }
        assertThat(messaging.sent(Topics.EVENTS).stream()
                        .map(b -> Json.tree(new String(b, StandardCharsets.UTF_8)))
                        .filter(e -> e.get("activationId").asString().equals(a.activationId())))
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.get("startKind").asString()).isEqualTo("cold");
                    assertThat(e.get("action").asString()).isEqualTo("ns/warm");
                });
    }

    @Test
    void responsesOfEveryKind() {
        CompletionMessage app = invoke("errors", "{\"error\":\"nope\"}");
        assertThat(app.activation().response().statusCode()).isEqualTo(1);
        assertThat(app.activation().response().result()).isEqualTo(Json.tree("{\"error\":\"nope\"}"));

        CompletionMessage dev = invoke("errors", "{\"fail\":true}");
        assertThat(dev.activation().response().statusCode()).isEqualTo(2);
        assertThat(dev.activation().response().result().get("error").asString()).contains("it failed");
        assertThat(annotation(dev.activation(), "startKind").asString())
                .as("kept after a 502")
                .isEqualTo("warm");

        CompletionMessage timedOut =
                send(message("errors", "{\"sleep\":5000}", 500)).join();
        assertThat(timedOut.activation().response().statusCode()).isEqualTo(2);
        assertThat(timedOut.activation().response().result().get("error").asString())
                .isEqualTo("The action exceeded its time limits of 500 milliseconds.");
        assertThat(annotation(timedOut.activation(), "timeout").asBoolean()).isTrue();

        CompletionMessage afterTimeout = invoke("errors", "{}");
        assertThat(annotation(afterTimeout.activation(), "startKind").asString())
                .isEqualTo("cold");

        CompletionMessage exited = invoke("errors", "{\"exit\":true}");
        assertThat(exited.activation().response().statusCode()).isEqualTo(2);
        assertThat(exited.activation().response().result().get("error").asString())
                .isEqualTo("The action did not produce a valid response and exited unexpectedly.");
        CompletionMessage afterExit = invoke("errors", "{}");
        assertThat(annotation(afterExit.activation(), "startKind").asString()).isEqualTo("cold");
        assertThat(pid(afterExit)).isNotEqualTo(pid(afterTimeout));
    }

    @Test
    void platformFailuresStillComplete() {
        messaging.producer().send(Topics.invoker(0), "not json".getBytes(StandardCharsets.UTF_8));
        CompletionMessage missing =
                send(message("missing", "{}", 1000, "e".repeat(64))).join();
        assertThat(missing.systemError()).isTrue();
        assertThat(missing.activation().response().statusCode()).isEqualTo(3);
        assertThat(missing.activation().response().result().get("error").asString())
                .contains("not in the store");
        assertThat(invoke("after-garbage", "{}").activation().response().success())
                .isTrue();
    }

    @Test
    void evictsTheLeastRecentlyUsedAndQueuesWhenFull() throws Exception {
        invoke("lru-a", "{}");
        invoke("lru-b", "{}");
        assertThat(actionsInPool()).containsExactly("ns/lru-a", "ns/lru-b");
        invoke("lru-a", "{}"); // now b is the least recently used
        invoke("lru-c", "{}");
        assertThat(actionsInPool()).containsExactly("ns/lru-a", "ns/lru-c");

        // three 1.5 s activations, room for two: the third waits for a container and reuses it warm
        List<CompletableFuture<CompletionMessage>> futures = List.of(
                send(message("q", "{\"sleep\":1500}", 10_000)),
                send(message("q", "{\"sleep\":1500}", 10_000)),
                send(message("q", "{\"sleep\":1500}", 10_000)));
        List<CompletionMessage> done =
                futures.stream().map(CompletableFuture::join).toList();
        assertThat(done)
                .allSatisfy(c -> assertThat(c.activation().response().success()).isTrue());
        assertThat(done.stream().map(InvokerApplicationTest::pid).collect(Collectors.toSet()))
                .hasSize(2);
        assertThat(done.stream()
                        .filter(c -> annotation(c.activation(), "startKind")
                                .asString()
                                .equals("warm")))
                .singleElement()
                .satisfies(
                        c -> assertThat(annotation(c.activation(), "waitTime").asLong())
                                .isGreaterThanOrEqualTo(1200));
    }

    /**
     * A deleted action's idle container goes at once (the idle timeout is 4 s); a call made before the delete
     * that arrives after it still runs, but its container goes when it ends; the warm starter forgets it.
     */
    @Test
    void aDeletedActionsContainersGoAtOnceAndItIsNotStartedAgain() throws Exception {
        long before = System.currentTimeMillis();
        assertThat(invoke("deleted", "{}").activation().response().statusCode()).isZero();
        WarmStarter warm = app.getBean(WarmStarter.class);
        assertThat(warm.known()).contains("ns/deleted");
        assertThat(actionsInPool()).contains("ns/deleted");

        long deletedAt = System.currentTimeMillis();
        messaging.producer().send(Topics.ENTITIES, Messages.encode(ActionChange.deleted("t", "ns/deleted", deletedAt)));
        long deadline = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
        while (actionsInPool().contains("ns/deleted") && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertThat(actionsInPool()).as("removed well before the idle timeout").doesNotContain("ns/deleted");
        assertThat(warm.known()).doesNotContain("ns/deleted");

        ActivationMessage late = SampleActivations.sentAt(message("deleted", "{}", 10_000), before);
        assertThat(send(late).join().activation().response().statusCode())
                .as("a call made before the delete still runs")
                .isZero();
        deadline = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
        while (actionsInPool().contains("ns/deleted") && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertThat(actionsInPool()).as("its container is not kept warm").doesNotContain("ns/deleted");
        assertThat(warm.known()).doesNotContain("ns/deleted");
    }

    @Test
    void idleContainersAreRemovedAndHealthIsPinged() throws Exception {
        invoke("idle", "{}");
        assertThat(actionsInPool()).contains("ns/idle");
        HealthPing ping = Messages.decode(messaging.sent(Topics.HEALTH).getLast(), HealthPing.class);
        assertThat(ping.userMemoryMb()).isEqualTo(512);
        assertThat(ping.invoker()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!containers().get("containers").isEmpty() && System.nanoTime() < deadline) {
            sleep(200);
        }
        assertThat(containers().get("containers").isEmpty())
                .as("idle containers removed after 4 s")
                .isTrue();
        sleep(500);
        HealthPing empty = Messages.decode(messaging.sent(Topics.HEALTH).getLast(), HealthPing.class);
        assertThat(empty.freeMemoryMb()).isEqualTo(512);
        assertThat(empty.warm()).isEmpty();
    }
}
