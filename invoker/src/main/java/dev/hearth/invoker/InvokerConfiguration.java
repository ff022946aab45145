package dev.hearth.invoker;

import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.kafka.KafkaMessagingProvider;
import dev.hearth.invoker.activation.ActivationService;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.docker.DockerContainerFactory;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.invoker.health.HealthPinger;
import dev.hearth.invoker.pool.ContainerPool;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The invoker's parts, wired from {@link InvokerProperties}. */
@Configuration(proxyBeanMethods = false)
class InvokerConfiguration {
    private static final Logger log = LoggerFactory.getLogger(InvokerConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Kafka at {@code hearth.invoker.kafka.bootstrap-servers}, unless the launcher registered a provider. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    MessagingProvider messagingProvider(InvokerProperties properties) {
        return new KafkaMessagingProvider(
                properties.kafka().bootstrapServers(), "hearth-invoker" + properties.instance());
    }

    @Bean(destroyMethod = "close")
    ContainerFactory containerFactory(InvokerProperties properties, Clock clock) {
        return switch (properties.factory()) {
            case PROCESS -> new ProcessContainerFactory(ProcessContainerFactory.settings(properties), clock);
            case DOCKER -> docker(properties, clock);
            case AUTO -> {
                InvokerProperties.Docker d = properties.docker();
                Optional<String> why = DockerContainerFactory.unavailable(d.host(), d.image());
                if (why.isEmpty()) {
                    log.info("container factory: docker (auto: engine at {} has {})", d.host(), d.image());
                    yield docker(properties, clock);
                }
                log.info("container factory: process (auto: {})", why.get());
                yield new ProcessContainerFactory(ProcessContainerFactory.settings(properties), clock);
            }
        };
    }

    private static ContainerFactory docker(InvokerProperties properties, Clock clock) {
        try {
            return new DockerContainerFactory(DockerContainerFactory.settings(properties), clock);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    InvokerProperties.PREFIX + "factory is 'docker' but Docker cannot be used: " + e.getMessage(), e);
        }
    }

    @Bean(destroyMethod = "close")
    ContainerPool containerPool(ContainerFactory factory, InvokerProperties properties, Clock clock) {
        return new ContainerPool(
                factory,
                properties.userMemoryMb(),
                properties.idleTimeout(),
                clock,
                "inv" + properties.instance() + "-" + Long.toString(System.currentTimeMillis(), 36),
                // only Docker containers can be paused; process containers would ignore it
                factory instanceof DockerContainerFactory ? properties.docker().pauseGrace() : Duration.ZERO);
    }

    @Bean
    ArtifactStore artifactStore(DataSource dataSource, InvokerProperties properties) {
        return new ArtifactStore(dataSource, properties.dataDir().resolve("artifacts"));
    }

    @Bean(destroyMethod = "close")
    ActivationService activationService(
            MessagingProvider messaging,
            JdbcClient jdbc,
            ArtifactStore artifacts,
            ContainerPool pool,
            Clock clock,
            InvokerProperties properties) {
        return new ActivationService(messaging, jdbc, artifacts, pool, clock, properties.instance());
    }

    @Bean(destroyMethod = "close")
    HealthPinger healthPinger(
            MessagingProvider messaging, ContainerPool pool, Clock clock, InvokerProperties properties) {
        return new HealthPinger(messaging.producer(), pool, clock, properties.instance(), properties.pingInterval());
    }

    @Bean
    InvokerLifecycle invokerLifecycle(
            MessagingProvider messaging,
            ActivationService activations,
            HealthPinger pinger,
            ContainerPool pool,
            InvokerProperties properties) {
        return new InvokerLifecycle(messaging, activations, pinger, pool, properties.instance());
    }
}
