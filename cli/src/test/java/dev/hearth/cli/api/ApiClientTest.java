package dev.hearth.cli.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.hearth.cli.CliException;
import dev.hearth.cli.FakeApi;
import dev.hearth.cli.config.CliConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ApiClientTest {
    FakeApi server;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeApi();
        client = new ApiClient(new CliConfig(server.apiHost(), "uuid:secret", "_"), null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void sendsBasicAuthJsonAndEncodedQuery() {
        server.on("POST", "/api/v1/namespaces/_/actions/x", 200, "{\"ok\":true}");
        JsonObject body = new JsonObject();
        body.addProperty("a", "ü & b");
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("blocking", true);
        query.put("skipped", null);
        query.put("name", "a b&c");

        ApiResponse response = client.send("POST", "/namespaces/_/actions/x", query, body);

        FakeApi.Request request = server.only();
        assertThat(request.basicAuth()).isEqualTo("uuid:secret");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.query()).isEqualTo("blocking=true&name=a%20b%26c");
        assertThat(request.body()).isEqualTo("{\"a\":\"ü & b\"}");
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void openWhiskErrorBodyBecomesErrorWithCode() {
        server.on(
                "GET",
                "/api/v1/namespaces",
                401,
                "{\"error\":\"The supplied authentication is invalid.\",\"code\":\"tx1\"}");

        assertThatThrownBy(() -> client.get("/namespaces", Map.of()).requireSuccess())
                .isInstanceOf(CliException.class)
                .hasMessage("The supplied authentication is invalid. (code tx1)");
    }

    @Test
    void nonJsonErrorNamesTheStatus() {
        server.on("GET", "/api/v1/namespaces", 503, "<html>Service Unavailable</html>");

        assertThatThrownBy(() -> client.get("/namespaces", Map.of()).requireSuccess())
                .hasMessage("the server answered HTTP 503: <html>Service Unavailable</html>");
    }

    @Test
    void connectionRefusedNamesTheHostAndSuggestsBinHearthUp() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ApiClient closed = new ApiClient(new CliConfig("http://127.0.0.1:" + port, "u:k", "_"), null);

        assertThatThrownBy(() -> closed.get("/namespaces", Map.of()))
                .isInstanceOf(CliException.class)
                .hasMessageContaining(
                        "cannot reach the Hearth API at http://127.0.0.1:" + port + " (connection refused)")
                .hasMessageContaining("bin/hearth up");
    }

    @Test
    void verboseTracesRequestAndResponseWithoutTheKey() {
        server.on("GET", "/api/v1/namespaces", 200, "[\"guest\"]");
        StringWriter trace = new StringWriter();
        ApiClient verbose = new ApiClient(client.config(), new PrintWriter(trace));

        verbose.get("/namespaces", Map.of());

        assertThat(trace.toString())
                .contains("REQUEST: [GET] " + server.apiHost() + "/api/v1/namespaces")
                .contains("Basic <uuid:***>")
                .contains("RESPONSE: Got response with code 200")
                .contains("[\"guest\"]")
                .doesNotContain("secret");
    }
}
