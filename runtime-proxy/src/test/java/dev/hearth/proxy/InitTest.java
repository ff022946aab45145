package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /init}: loading a jar, and every way it can be refused. */
class InitTest {

    @TempDir
    static Path jars;

    static Path echo;

    ProxyProcess proxy;

    @BeforeAll
    static void buildJars() {
        echo = ActionJars.build(jars, ActionFixture.ECHO);
    }

    @BeforeEach
    void startProxy() {
        proxy = ProxyProcess.start();
    }

    @AfterEach
    void stopProxy() throws InterruptedException {
        proxy.close();
    }

    @Test
    void initWithBase64JarThenRunEchoes() {
        ProxyProcess.Response init = proxy.init(echo, ActionFixture.ECHO.mainClass());
        assertThat(init.status()).isEqualTo(200);
        assertThat(init.body().get("ok").getAsBoolean()).isTrue();

        JsonObject params = new JsonObject();
        params.addProperty("name", "Hearth");
        params.addProperty("n", 42);
        ProxyProcess.Response run = proxy.run(params);
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body()).isEqualTo(params);
    }

    @Test
    void initWithCodePathLoadsTheJarFromDisk() {
        JsonObject value = new JsonObject();
        value.addProperty("name", "echo");
        value.addProperty("main", ActionFixture.ECHO.mainClass() + "#main");
        value.addProperty("codePath", echo.toAbsolutePath().toString());
        assertThat(proxy.init(value).status()).isEqualTo(200);

        JsonObject params = new JsonObject();
        params.addProperty("from", "disk");
        assertThat(proxy.run(params).body()).isEqualTo(params);
    }

    @Test
    void initTwiceIsForbidden() {
        assertThat(proxy.init(echo, ActionFixture.ECHO.mainClass()).status()).isEqualTo(200);
        ProxyProcess.Response again = proxy.init(echo, ActionFixture.ECHO.mainClass());
        assertThat(again.status()).isEqualTo(403);
        assertThat(error(again)).isEqualTo("Cannot initialize the action more than once.");
    }

    @Test
    void codeThatIsNotBase64IsRefused() {
        JsonObject value = value("com.example.Nope");
        value.addProperty("code", "this is not base64!");
        ProxyProcess.Response init = proxy.init(value);
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init)).contains("base64");
    }

    @Test
    void codeThatIsNotAJarIsRefused() {
        JsonObject value = value("com.example.Nope");
        value.addProperty("code", Base64.getEncoder().encodeToString("just some text".getBytes()));
        ProxyProcess.Response init = proxy.init(value);
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init)).contains("not a jar");
    }

    @Test
    void missingCodePathIsRefusedNamingThePath() {
        JsonObject value = value("com.example.Nope");
        value.addProperty(
                "codePath", jars.resolve("missing.jar").toAbsolutePath().toString());
        ProxyProcess.Response init = proxy.init(value);
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init)).contains("missing.jar");
    }

    @Test
    void missingClassIsRefusedNamingTheClass() {
        ProxyProcess.Response init = proxy.init(echo, "com.example.DoesNotExist");
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init)).contains("com.example.DoesNotExist").contains("not found");
    }

    @Test
    void missingMethodIsRefusedNamingClassAndMethod() {
        ProxyProcess.Response init = proxy.init(echo, ActionFixture.ECHO.mainClass() + "#handle");
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init)).contains(ActionFixture.ECHO.mainClass()).contains("has no method handle");
    }

    @Test
    void wrongSignatureIsRefusedNamingClassAndMethod() {
        Path jar = ActionJars.build(jars, "com.example.Wrong", """
                package com.example;
                import com.google.gson.JsonObject;
                public class Wrong {
                    public static String main(String args) { return args; }
                }
                """);
        ProxyProcess.Response init = proxy.init(jar, "com.example.Wrong");
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init))
                .contains("com.example.Wrong.main has the wrong signature")
                .contains("public static com.google.gson.JsonObject main(com.google.gson.JsonObject)")
                .contains("java.lang.String com.example.Wrong.main(java.lang.String)");
    }

    @Test
    void nonStaticMainIsRefused() {
        Path jar = ActionJars.build(jars, "com.example.Instance", """
                package com.example;
                import com.google.gson.JsonObject;
                public class Instance {
                    public JsonObject main(JsonObject args) { return args; }
                }
                """);
        ProxyProcess.Response init = proxy.init(jar, "com.example.Instance");
        assertThat(init.status()).isEqualTo(502);
        assertThat(error(init)).contains("com.example.Instance.main has the wrong signature");
    }

    @Test
    void failedInitLeavesTheProxyInitializable() {
        assertThat(proxy.init(echo, "com.example.DoesNotExist").status()).isEqualTo(502);
        assertThat(proxy.init(echo, ActionFixture.ECHO.mainClass()).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIsABadRequest() {
        ProxyProcess.Response init = proxy.post("/init", "{\"value\": {\"main\": ");
        assertThat(init.status()).isEqualTo(400);
        assertThat(error(init)).contains("not valid JSON");
    }

    @Test
    void initWithoutValueIsABadRequest() {
        ProxyProcess.Response init = proxy.post("/init", "{}");
        assertThat(init.status()).isEqualTo(400);
        assertThat(error(init)).contains("\"value\"");
    }

    @Test
    void initWithoutMainOrCodeIsRefused() {
        JsonObject value = new JsonObject();
        value.addProperty("code", ActionJars.base64(echo));
        assertThat(proxy.init(value).status()).isEqualTo(502);
        assertThat(error(proxy.init(value("com.example.X")))).contains("no code");
    }

    private static JsonObject value(String main) {
        JsonObject value = new JsonObject();
        value.addProperty("main", main);
        value.addProperty("binary", true);
        return value;
    }

    private static String error(ProxyProcess.Response response) {
        return response.body().get("error").getAsString();
    }
}
