package dev.hearth.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.gateway.routing.LocalController;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway with a controller in its own JVM ({@link LocalController}, here an in-memory one that takes
 * {@code POST .../actions/local*}) beside a stand-in controller over HTTP: what the local one takes it
 * answers as a call, everything else still crosses HTTP.
 */
class LocalControllerRouteTest {

    private static final String TAKEN = "/api/v1/namespaces/_/actions/local";

    /** Takes POSTs to {@value #TAKEN}...; answers 201 with a header, or fails when the body says "fail". */
    static final class Local implements LocalController {
        final List<Call> calls = new CopyOnWriteArrayList<>();

        @Override
        public boolean takes(String method, String rawPath) {
            return method.equals("POST") && rawPath.startsWith(TAKEN);
        }

        @Override
        public CompletionStage<Reply> call(Call call) {
            calls.add(call);
            return CompletableFuture.supplyAsync(() -> {
                if (new String(call.body(), StandardCharsets.UTF_8).equals("fail")) {
                    throw new IllegalStateException("the controller broke");
                }
                return new Reply(
                        201,
                        Map.of("Content-Type", "application/json", "x-openwhisk-activation-id", "abc"),
                        ("{\"local\":" + call.body().length + "}").getBytes(StandardCharsets.UTF_8));
            });
        }
    }

    private static final Local local = new Local();
    private static StubController http;
    private static RunningGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        http = new StubController("http");
        gateway = new RunningGateway(local, "hearth.gateway.controllers=" + http.uri());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        http.close();
    }

    @BeforeEach
    void clear() {
        local.calls.clear();
        http.clear();
    }

    @Test
    void aTakenRequestIsACallWithItsPathQueryAuthTransactionIdAndBody() {
        HttpResponse<String> response = gateway.send(gateway.request(TAKEN + "?blocking=true&x=a%2Fb")
                .header("Authorization", "Basic abc")
                .header("X-Request-ID", "tid-local-1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Hearth\"}"))
                .build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"local\":17}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("x-openwhisk-activation-id")).hasValue("abc");
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("tid-local-1");
        assertThat(response.headers().firstValue("Content-Length")).hasValue("12");
        assertThat(response.headers().firstValue("Date")).isPresent();
        assertThat(http.seen()).as("nothing crossed HTTP").isEmpty();
        LocalController.Call call = local.calls.getFirst();
        assertThat(call.rawPath()).isEqualTo(TAKEN);
        assertThat(call.rawQuery()).isEqualTo("blocking=true&x=a%2Fb");
        assertThat(call.authorization()).isEqualTo("Basic abc");
        assertThat(call.id().value()).isEqualTo("tid-local-1");
        assertThat(new String(call.body(), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"Hearth\"}");
    }

    @Test
    void anEmptyBodyAndNoQueryAreACallToo() {
        HttpResponse<String> response = gateway.send(
                gateway.request(TAKEN).POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("{\"local\":0}");
        assertThat(local.calls.getFirst().rawQuery()).isNull();
        assertThat(local.calls.getFirst().authorization()).isNull();
        assertThat(response.headers().firstValue("X-Request-ID")).isPresent();
    }

    @Test
    void whatItDoesNotTakeAndBodiesOfUnknownLengthCrossHttp() {
        gateway.send(gateway.request("/api/v1/namespaces/_/actions/other")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
        gateway.send(gateway.request(TAKEN).GET().build());
        byte[] bytes = "{\"chunked\":true}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = gateway.send(gateway.request(TAKEN)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build());

        assertThat(local.calls).isEmpty();
        assertThat(http.seen())
                .extracting(StubController.Seen::method, StubController.Seen::path)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("POST", "/api/v1/namespaces/_/actions/other"),
                        org.assertj.core.groups.Tuple.tuple("GET", TAKEN),
                        org.assertj.core.groups.Tuple.tuple("POST", TAKEN));
        assertThat(chunked.body()).isEqualTo("{\"stub\":\"http\"}");
        assertThat(new String(http.last().body(), StandardCharsets.UTF_8)).isEqualTo("{\"chunked\":true}");
    }

    @Test
    void aCallThatFailsIsTheOpenWhiskShaped503() {
        HttpResponse<String> response = gateway.send(gateway.request(TAKEN)
                .header("X-Request-ID", "tid-local-2")
                .POST(HttpRequest.BodyPublishers.ofString("fail"))
                .build());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("X-Request-ID")).hasValue("tid-local-2");
        assertThat(response.body())
                .isEqualTo("{\"error\":\"The service is temporarily unavailable: no controller answered.\",\"code\":"
                        + "\"tid-local-2\"}");
    }
}
