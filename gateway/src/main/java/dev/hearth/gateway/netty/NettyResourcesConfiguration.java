package dev.hearth.gateway.netty;

import dev.hearth.gateway.GatewayProperties;
import io.netty.channel.ChannelOption;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.netty.http.client.HttpClient;

/**
 * The gateway's own Reactor Netty event loops and connection pool instead of the JVM-wide globals.
 * With the globals, stopping one gateway disposes the loops of every other gateway in the same JVM
 * (the standalone's tests and benchmarks run several platforms in one JVM; the second one's
 * shutdown cut the first one off).
 */
@Configuration(proxyBeanMethods = false)
class NettyResourcesConfiguration {

    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    /**
     * The client to the controllers, on the same event loops as the server and the gateway's own pool,
     * with the connect timeout. {@code ControllerProxy} runs it per loop, so a request read on one loop is
     * sent to the controller on a connection of that loop and its answer comes back there, and no call
     * hands its request or its answer from one thread to another. With the client on other loops both handovers
     * woke a second thread: {@code bench/hop-timeline} (MLP, 8 KB request) measured the request's body
     * reaching the controller 0.48–0.63 ms after its headers that way, 0.12–0.13 ms this way, and the
     * gateway's hops 1.7–2.5 ms a call against 1.1–1.4 (two runs each, session 21).
     */
    @Bean
    HttpClient controllerClient(ReactorResourceFactory resources, GatewayProperties properties) {
        return HttpClient.create(resources.getConnectionProvider())
                .runOn(resources.getLoopResources())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        properties.connectTimeout().toMillis());
    }
}
