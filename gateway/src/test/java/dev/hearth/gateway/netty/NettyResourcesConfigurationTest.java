package dev.hearth.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.gateway.GatewayProperties;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;

class NettyResourcesConfigurationTest {
    private static final GatewayProperties GATEWAY = new GatewayProperties(
            List.of(URI.create("http://127.0.0.1:3234")),
            Duration.ofSeconds(75),
            Duration.ofMillis(1500),
            new GatewayProperties.CircuitBreaker(50, 20, 10, Duration.ofSeconds(10), 3),
            Duration.ofMinutes(30));

    @Test
    void theClientToTheControllersRunsOnTheServersOwnLoops() throws Exception {
        NettyResourcesConfiguration config = new NettyResourcesConfiguration();
        ReactorResourceFactory resources = config.reactorResourceFactory();
        resources.afterPropertiesSet();
        try {
            HttpClient client = config.controllerClient(resources, GATEWAY);

            assertThat(resources.isUseGlobalResources()).isFalse();
            assertThat(client.configuration().loopResources()).isSameAs(resources.getLoopResources());
            assertThat(client.configuration().connectionProvider()).isSameAs(resources.getConnectionProvider());
            assertThat(client.configuration().options().get(ChannelOption.CONNECT_TIMEOUT_MILLIS))
                    .isEqualTo(1500);
        } finally {
            resources.destroy();
        }
    }
}
