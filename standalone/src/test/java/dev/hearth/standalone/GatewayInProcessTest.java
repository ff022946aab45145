package dev.hearth.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testsupport.ActionFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's invocations as method calls into the controller of the same JVM ({@link InProcessController}):
 * they are taken as calls, and every answer — success, result only, non-blocking, unknown action, wrong key,
 * malformed JSON, a failing action — is the one the same request gets over loopback HTTP to the controller's
 * Tomcat, status, body shape and headers alike.
 */
class GatewayInProcessTest {
    private static final Api api = RunningPlatform.guest();
    private static String echo;
    private static String failing;

    @BeforeAll
    static void actions() {
        echo = Actions.unique("gw-echo");
        Actions.create(api, echo, Actions.body(ActionFixture.ECHO));
        failing = Actions.unique("gw-fail");
        Actions.create(api, failing, Actions.body(ActionFixture.FAIL));
    }

    @AfterEach
    void backToTheDefault() {
        RunningPlatform.get().gatewayCallsInProcess(true);
    }

    /** What an answer is made of, with the parts that differ from call to call (ids, times) left out. */
    record Seen(int status, List<String> headers, String body) {}

    private static final List<Function<Api, Api.Response>> REQUESTS = List.of(
            a -> a.post("/api/v1/namespaces/_/actions/" + echo + "?blocking=true&result=true", "{\"x\":1}"),
            a -> a.post("/api/v1/namespaces/_/actions/" + echo + "?blocking=true", "{\"x\":2}"),
            a -> a.post("/api/v1/namespaces/_/actions/" + echo, "{}"),
            a -> a.post("/api/v1/namespaces/_/actions/" + failing + "?blocking=true&result=true", "{}"),
            a -> a.post("/api/v1/namespaces/_/actions/no-such-action?blocking=true", "{}"),
            a -> a.post("/api/v1/namespaces/_/actions/" + echo + "?blocking=true", "{not json"),
            a -> a.as("garbage").post("/api/v1/namespaces/_/actions/" + echo + "?blocking=true", "{}"));

    private static List<Seen> ask() {
        List<Seen> seen = new ArrayList<>();
        for (Function<Api, Api.Response> request : REQUESTS) {
            Api.Response r = request.apply(api);
            List<String> headers = new ArrayList<>();
            for (String name : List.of("content-type", "x-openwhisk-activation-id", "x-request-id", "date")) {
                if (r.header(name) != null) {
                    headers.add(name);
                }
            }
            assertThat(r.header("content-length"))
                    .as("a length, not chunks")
                    .isEqualTo(Integer.toString(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
            String body = r.status() == 200 && r.json().has("response")
                    ? r.json().path("response").toString()
                    : r.json().has("activationId")
                            ? "{\"activationId\"}"
                            : r.json().path("error").toString();
            seen.add(new Seen(r.status(), headers, body));
        }
        return seen;
    }

    @Test
    void invocationsAreCallsAndAnswerAsOverHttp() {
        Platform platform = RunningPlatform.get();
        long before = platform.gatewayCalls().calls();
        List<Seen> inProcess = ask();
        long taken = platform.gatewayCalls().calls() - before;

        platform.gatewayCallsInProcess(false);
        long beforeHttp = platform.gatewayCalls().calls();
        List<Seen> overHttp = ask();

        assertThat(taken).as("every invocation was a call").isEqualTo(REQUESTS.size());
        assertThat(platform.gatewayCalls().calls()).as("none was, switched off").isEqualTo(beforeHttp);
        assertThat(inProcess).isEqualTo(overHttp);
        assertThat(inProcess.stream().map(Seen::status)).containsExactly(200, 200, 202, 502, 404, 400, 401);
    }

    @Test
    void otherRequestsStillCrossHttp() {
        Platform platform = RunningPlatform.get();
        long before = platform.gatewayCalls().calls();
        assertThat(api.get("/api/v1/namespaces/_/actions/" + echo).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/namespaces/_/actions?limit=1").status()).isEqualTo(200);
        assertThat(platform.gatewayCalls().calls()).isEqualTo(before);
    }
}
