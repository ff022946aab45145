package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /run}: parameters, context, results and errors. */
class RunTest {

    @TempDir
    static Path jars;

    ProxyProcess proxy;

    @BeforeAll
    static void buildJars() {
        for (ActionFixture f : ActionFixture.values()) {
            ActionJars.build(jars, f);
        }
    }

    @BeforeEach
    void startProxy() {
        proxy = ProxyProcess.start();
    }

    @AfterEach
    void stopProxy() throws InterruptedException {
        proxy.close();
    }

    private void init(ActionFixture fixture) {
        assertThat(proxy.init(ActionJars.build(jars, fixture), fixture.mainClass())
                        .status())
                .isEqualTo(200);
    }

    @Test
    void runBeforeInitIsAnError() {
        ProxyProcess.Response run = proxy.run(new JsonObject());
        assertThat(run.status()).isEqualTo(500);
        assertThat(run.body().get("error").getAsString()).isEqualTo("Cannot invoke an uninitialized action.");
    }

    @Test
    void contextAndEnvAreSystemPropertiesOfTheAction() {
        Path jar = ActionJars.build(jars, ActionFixture.CONTEXT);
        JsonObject value = new JsonObject();
        value.addProperty("main", ActionFixture.CONTEXT.mainClass());
        value.addProperty("code", ActionJars.base64(jar));
        JsonObject env = new JsonObject();
        env.addProperty("MODEL", "resnet");
        env.addProperty("THREADS", 4);
        value.add("env", env);
        assertThat(proxy.init(value).status()).isEqualTo(200);

        JsonObject body = new JsonObject();
        JsonObject params = new JsonObject();
        JsonArray names = new JsonArray();
        names.add("MODEL");
        names.add("THREADS");
        params.add("names", names);
        body.add("value", params);
        body.addProperty("namespace", "guest");
        body.addProperty("action_name", "/guest/context");
        body.addProperty("activation_id", "a1b2c3");
        body.addProperty("transaction_id", "tx-9");
        body.addProperty("deadline", 1_900_000_000_000L);
        body.addProperty("api_key", "uuid:key");
        JsonObject result = proxy.post("/run", body).body();

        assertThat(result.get("__OW_NAMESPACE").getAsString()).isEqualTo("guest");
        assertThat(result.get("__OW_ACTION_NAME").getAsString()).isEqualTo("/guest/context");
        assertThat(result.get("__OW_ACTIVATION_ID").getAsString()).isEqualTo("a1b2c3");
        assertThat(result.get("__OW_TRANSACTION_ID").getAsString()).isEqualTo("tx-9");
        assertThat(result.get("__OW_DEADLINE").getAsString()).isEqualTo("1900000000000");
        assertThat(result.get("__OW_API_KEY").getAsString()).isEqualTo("uuid:key");
        assertThat(result.get("MODEL").getAsString()).isEqualTo("resnet");
        assertThat(result.get("THREADS").getAsString()).isEqualTo("4");

        // The next activation sees its own context, and nothing left over from the previous one.
        JsonObject next = new JsonObject();
        next.addProperty("activation_id", "d4e5f6");
        next.addProperty("deadline", "1900000000001");
        JsonObject second = proxy.post("/run", next).body();
        assertThat(second.get("__OW_ACTIVATION_ID").getAsString()).isEqualTo("d4e5f6");
        assertThat(second.get("__OW_DEADLINE").getAsString()).isEqualTo("1900000000001");
        assertThat(second.has("__OW_API_KEY")).isFalse();
        assertThat(second.has("__OW_NAMESPACE")).isFalse();
    }

    @Test
    void missingValueRunsWithEmptyParameters() {
        init(ActionFixture.ECHO);
        ProxyProcess.Response run = proxy.post("/run", "{\"activation_id\":\"x\"}");
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body()).isEqualTo(new JsonObject());
    }

    @Test
    void exceptionInMainIsA502WithItsMessageAndItsStackTraceInStderr() {
        init(ActionFixture.FAIL);
        JsonObject params = new JsonObject();
        params.addProperty("message", "the model is on fire");
        ProxyProcess.Response run = proxy.run(params);

        assertThat(run.status()).isEqualTo(502);
        assertThat(run.body().get("error").getAsString())
                .isEqualTo(
                        "An error has occurred (see logs for details): java.lang.RuntimeException: the model is on fire");
        List<String> stderr = proxy.stderrUntilSentinel();
        assertThat(stderr.get(0)).isEqualTo("java.lang.RuntimeException: the model is on fire");
        assertThat(stderr).anySatisfy(line -> assertThat(line).contains("at hearth.fixtures.Fail.main"));
        assertThat(proxy.stdoutUntilSentinel()).isEmpty();
    }

    @Test
    void nullResultIsNotADictionary() {
        Path jar = ActionJars.build(jars, "com.example.Nothing", """
                package com.example;
                import com.google.gson.JsonObject;
                public class Nothing {
                    public static JsonObject main(JsonObject args) { return null; }
                }
                """);
        assertThat(proxy.init(jar, "com.example.Nothing").status()).isEqualTo(200);
        ProxyProcess.Response run = proxy.run(new JsonObject());
        assertThat(run.status()).isEqualTo(502);
        assertThat(run.body().get("error").getAsString()).isEqualTo("The action did not return a dictionary.");
    }

    @Test
    void classesOfTheJarLoadLazilyDuringRuns() {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put("com.example.Lazy", """
                package com.example;
                import com.google.gson.JsonObject;
                public class Lazy {
                    public static JsonObject main(JsonObject args) {
                        return args.has("helper") ? Helper.help() : args;
                    }
                }
                """);
        sources.put("com.example.Helper", """
                package com.example;
                import com.google.gson.JsonObject;
                class Helper {
                    static JsonObject help() {
                        JsonObject out = new JsonObject();
                        out.addProperty("helped", true);
                        return out;
                    }
                }
                """);
        assertThat(proxy.init(ActionJars.build(jars, sources), "com.example.Lazy")
                        .status())
                .isEqualTo(200);
        assertThat(proxy.run(new JsonObject()).status()).isEqualTo(200);
        JsonObject params = new JsonObject();
        params.addProperty("helper", 1);
        assertThat(proxy.run(params).body().get("helped").getAsBoolean()).isTrue();
    }

    @Test
    void sequentialRunsReuseTheSameInstance() {
        Path jar = ActionJars.build(jars, "com.example.Counter", """
                package com.example;
                import com.google.gson.JsonObject;
                public class Counter {
                    private static int calls;
                    public static JsonObject count(JsonObject args) {
                        JsonObject out = new JsonObject();
                        out.addProperty("calls", ++calls);
                        return out;
                    }
                }
                """);
        assertThat(proxy.init(jar, "com.example.Counter#count").status()).isEqualTo(200);
        assertThat(proxy.run(new JsonObject()).body().get("calls").getAsInt()).isEqualTo(1);
        assertThat(proxy.run(new JsonObject()).body().get("calls").getAsInt()).isEqualTo(2);
        assertThat(proxy.get("/stats").body().get("runs").getAsLong()).isEqualTo(2);
    }

    @Test
    void concurrentRunsAreSerialized() {
        init(ActionFixture.SLEEP);
        JsonObject params = new JsonObject();
        params.addProperty("ms", 300);
        long start = System.nanoTime();
        CompletableFuture<ProxyProcess.Response> a = CompletableFuture.supplyAsync(() -> proxy.run(params));
        CompletableFuture<ProxyProcess.Response> b = CompletableFuture.supplyAsync(() -> proxy.run(params));
        assertThat(a.join().status()).isEqualTo(200);
        assertThat(b.join().status()).isEqualTo(200);
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(600);
    }

    @Test
    void everyRunIsOnTheSameLongLivedThreadWhicheverConnectionItCameOn() {
        // Concurrent requests occupy several of the HTTP server's threads at once; the work of each
        // still runs on the proxy's one activation thread (native libraries keep state per thread).
        init(ActionFixture.THREAD);
        JsonObject params = new JsonObject();
        params.addProperty("ms", 100);
        List<CompletableFuture<ProxyProcess.Response>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> proxy.run(params)));
        }
        Set<String> threads = new HashSet<>();
        for (CompletableFuture<ProxyProcess.Response> run : runs) {
            JsonObject body = run.join().body();
            threads.add(body.get("threadId").getAsLong() + " "
                    + body.get("threadName").getAsString());
        }
        JsonObject later = proxy.run(new JsonObject()).body();
        threads.add(later.get("threadId").getAsLong() + " "
                + later.get("threadName").getAsString());
        assertThat(threads).hasSize(1);
        assertThat(threads.iterator().next()).endsWith(" hearth-activation");
    }

    @Test
    void statsAnswerWhileARunIsInProgress() throws Exception {
        init(ActionFixture.SLEEP);
        JsonObject params = new JsonObject();
        params.addProperty("ms", 1000);
        CompletableFuture<ProxyProcess.Response> run = CompletableFuture.supplyAsync(() -> proxy.run(params));
        Thread.sleep(200);
        long start = System.nanoTime();
        JsonObject stats = proxy.get("/stats").body();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
        assertThat(stats.get("action").getAsString()).isEqualTo("test");
        assertThat(stats.get("connections").getAsLong())
                .as("the run's connection and the one /stats came on")
                .isGreaterThanOrEqualTo(2);
        assertThat(stats.has("handOffs")).isTrue();
        assertThat(run.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    }

    @Test
    void aBodyPastTheConfiguredLimitIsRefusedWith413AndTheProxyGoesOn() throws Exception {
        proxy.close();
        proxy = ProxyProcess.start("-Dhearth.proxy.max-body-bytes=1000");
        ProxyProcess.Response big = proxy.post("/run", "{\"value\":{\"x\":\"" + "y".repeat(2000) + "\"}}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.body().get("error").getAsString()).contains("larger than the 1000 bytes allowed");
        assertThat(proxy.run(new JsonObject()).status())
                .as("a small one still reaches the route")
                .isEqualTo(500);
    }

    @Test
    void actionCallingSystemExitKillsTheProcess() throws Exception {
        init(ActionFixture.EXIT);
        assertThatThrownBy(() -> proxy.run(new JsonObject())).isInstanceOf(UncheckedIOException.class);
        assertThat(proxy.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.process.exitValue()).isEqualTo(1);
    }

    @Test
    void outOfMemoryInTheActionIsA502AndTheProxySurvives() throws Exception {
        proxy.close();
        proxy = ProxyProcess.start("-Xmx64m");
        init(ActionFixture.GREEDY);
        JsonObject params = new JsonObject();
        params.addProperty("mb", 128);
        ProxyProcess.Response run = proxy.run(params);
        assertThat(run.status()).isEqualTo(502);
        assertThat(run.body().get("error").getAsString()).contains("java.lang.OutOfMemoryError");
        params.addProperty("mb", 8);
        assertThat(proxy.run(params).body().get("allocatedMb").getAsInt()).isEqualTo(8);
    }
}
