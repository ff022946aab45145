package dev.hearth.controller.config;

import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.kafka.KafkaMessagingProvider;
import dev.hearth.controller.activation.UnstoredActivations;
import dev.hearth.controller.loadbalancer.DirectInvoker;
import dev.hearth.controller.loadbalancer.HttpDirectInvoker;
import dev.hearth.controller.loadbalancer.LoadBalancer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.util.random.RandomGenerator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The controller's infrastructure beans. Each can be supplied from outside (a launcher or a test
 * registers a singleton of the type before the context refreshes) and is then not made here.
 */
@Configuration(proxyBeanMethods = false)
public class ControllerConfiguration {

    /** The messaging port over Kafka, unless one is supplied (e.g. {@code InMemoryMessaging} in tests). */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(MessagingProvider.class)
    MessagingProvider messagingProvider(ControllerProperties properties) {
        return new KafkaMessagingProvider(properties.kafka().bootstrapServers(), "controller" + properties.instance());
    }

    /**
     * Tomcat answers {@code Expect: 100-continue} only when a handler starts reading the body, not
     * as soon as the headers arrive: a client uploading gigabytes learns of a 401, 403 or 413 (from
     * {@code Content-Length}) before it sends a byte of the body.
     */
    @Bean
    TomcatConnectorCustomizer continueWhenTheBodyIsRead() {
        return connector -> connector.setProperty("continueResponseTiming", "onRead");
    }

    /** The direct path of blocking activations (see {@code LoadBalancer#invoke}). */
    @Bean
    @ConditionalOnMissingBean(DirectInvoker.class)
    DirectInvoker directInvoker(ControllerProperties properties) {
        return new HttpDirectInvoker(properties.direct().connectTimeout());
    }

    /** The load balancer's counters on the Prometheus page. */
    @Bean
    MeterBinder loadBalancerMeters(LoadBalancer balancer) {
        return registry -> {
            FunctionCounter.builder("hearth.completions.kafka", balancer, LoadBalancer::kafkaCompletions)
                    .description("completions that came through Kafka (an invoker in this JVM hands its own over)")
                    .register(registry);
            FunctionCounter.builder("hearth.activations.direct.sent", balancer, LoadBalancer::directCalls)
                    .description("blocking activations sent to an invoker over the direct path")
                    .register(registry);
        };
    }

    @Bean
    UnstoredActivations unstoredActivations(ControllerProperties properties) {
        return new UnstoredActivations(properties.direct().storeWait());
    }

    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The load balancer's randomness (forced placements). */
    @Bean
    @ConditionalOnMissingBean(RandomGenerator.class)
    RandomGenerator loadBalancerRandom() {
        return RandomGenerator.getDefault();
    }
}
