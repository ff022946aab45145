package dev.hearth.gateway.netty;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

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
}
