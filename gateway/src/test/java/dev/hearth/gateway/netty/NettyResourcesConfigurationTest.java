package dev.hearth.gateway.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;

class NettyResourcesConfigurationTest {
    @Test
    void theClientToTheControllersRunsOnTheServersOwnLoops() throws Exception {
        NettyResourcesConfiguration config = new NettyResourcesConfiguration();
        ReactorResourceFactory resources = config.reactorResourceFactory();
        resources.afterPropertiesSet();
        try {
            HttpClient client = config.controllerClientOnServerLoops(resources).customize(HttpClient.create());

            assertThat(resources.isUseGlobalResources()).isFalse();
            assertThat(client.configuration().loopResources()).isSameAs(resources.getLoopResources());
        } finally {
            resources.destroy();
        }
    }
}
