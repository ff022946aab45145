package dev.hearth.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.testsupport.InMemoryMessaging;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The service starts with in-memory messaging and shows its policy over HTTP. */
class SchedulerApplicationTest {

    @Test
    void showsThePolicyInForce() throws Exception {
        InMemoryMessaging messaging = new InMemoryMessaging();
        try (ConfigurableApplicationContext app = SchedulerApplication.builder()
                .initializers(ctx -> ctx.getBeanFactory().registerSingleton("testMessaging", messaging))
                .properties(Map.of("server.port", "0", "hearth.scheduler.policy", "faro-sum"))
                .run()) {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/policy"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"policy\":\"faro-sum\"").contains("\"intervalMs\":30000");
        }
    }
}
