package dev.hearth.standalone;

import dev.hearth.common.json.Json;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/** Makes action bodies for the whole-path tests from jars compiled on the spot. */
final class Actions {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Path JARS = RunningPlatform.newDataDir("hearth-jars");

    private Actions() {}

    /** A name no other test uses. */
    static String unique(String base) {
        return base + "-" + SEQ.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100_000, 36);
    }

    static ObjectNode body(ActionFixture fixture) {
        return body(ActionJars.build(JARS.resolve(fixture.name().toLowerCase()), fixture), fixture.mainClass());
    }

    static ObjectNode body(String className, String source) {
        return body(ActionJars.build(JARS.resolve(className + SEQ.incrementAndGet()), className, source), className);
    }

    static ObjectNode body(Path jar, String main) {
        ObjectNode body = Json.object();
        body.putObject("exec")
                .put("kind", "java")
                .put("binary", true)
                .put("main", main)
                .put("code", ActionJars.base64(jar));
        return body;
    }

    /** Creates the action and fails the test when the platform refuses it. */
    static void create(Api api, String name, ObjectNode body) {
        Api.Response r = api.put("/api/v1/namespaces/_/actions/" + name, body);
        if (r.status() != 200) {
            throw new AssertionError("create " + name + " -> " + r.status() + " " + r.body());
        }
    }
}
