package dev.hearth.invoker;

import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.kafka.KafkaMessagingProvider;
import dev.hearth.invoker.activation.ActivationService;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.invoker.health.HealthPinger;
import dev.hearth.invoker.pool.ContainerPool;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The invoker's parts, wired from {@link InvokerProperties}. */
@Configuration(proxyBeanMethods = false)
class InvokerConfiguration {

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
            case DOCKER ->
                throw new IllegalArgumentException(
                        InvokerProperties.PREFIX + "factory 'docker' is not available in this build; use 'process'");
        };
    }

    @Bean(destroyMethod = "close")
    ContainerPool containerPool(ContainerFactory factory, InvokerProperties properties, Clock clock) {
        return new ContainerPool(
                factory,
                properties.userMemoryMb(),
                properties.idleTimeout(),
                clock,
                "inv" + properties.instance() + "-" + Long.toString(System.currentTimeMillis(), 36));
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
