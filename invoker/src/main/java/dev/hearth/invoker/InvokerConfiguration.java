package dev.hearth.invoker;

import dev.hearth.common.messaging.MessagingProvider;
import dev.hearth.common.messaging.kafka.KafkaMessagingProvider;
import dev.hearth.invoker.activation.ActivationService;
import dev.hearth.invoker.activation.DirectActivations;
import dev.hearth.invoker.activation.LocalCompletions;
import dev.hearth.invoker.activation.WarmStarter;
import dev.hearth.invoker.artifact.ArtifactStore;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.container.docker.DockerContainerFactory;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.invoker.container.process.RuntimeMerging;
import dev.hearth.invoker.cpu.BackgroundThreads;
import dev.hearth.invoker.cpu.Cores;
import dev.hearth.invoker.entities.ActionChanges;
import dev.hearth.invoker.health.HealthPinger;
import dev.hearth.invoker.pool.ContainerPool;
import dev.hearth.invoker.pool.RareFirst;
import dev.hearth.invoker.pool.TensorAccount;
import dev.hearth.invoker.preload.Arrivals;
import dev.hearth.invoker.preload.Preloader;
import dev.hearth.invoker.scheduling.SchedulingListener;
import dev.hearth.invoker.tensors.TensorJanitor;
import dev.hearth.invoker.tensors.TensorLedger;
import dev.hearth.invoker.tensors.TensorsEndpoint;
import dev.hearth.model.tensors.TensorStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
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
            case PROCESS -> processes(properties, clock);
            case DOCKER -> docker(properties, clock);
            case AUTO -> {
                InvokerProperties.Docker d = properties.docker();
                Optional<String> why = DockerContainerFactory.unavailable(d.host(), d.image());
                if (why.isEmpty()) {
                    log.info("container factory: docker (auto: engine at {} has {})", d.host(), d.image());
                    yield docker(properties, clock);
                }
                log.info("container factory: process (auto: {})", why.get());
                yield processes(properties, clock);
            }
        };
    }

    private static ContainerFactory processes(InvokerProperties properties, Clock clock) {
        if (properties.tensors().mergeRuntime()) {
            RuntimeMerging.startKsm(RuntimeMerging.KSM_RUN); // a machine setting: the invoker's, not the factory's
        }
        return new ProcessContainerFactory(ProcessContainerFactory.settings(properties), clock);
    }

    private static ContainerFactory docker(InvokerProperties properties, Clock clock) {
        if (properties.tensors().mergeRuntime()) {
            log.warn("tensors.merge-runtime is ignored with Docker containers (its seccomp profile refuses"
                    + " the personality call that turns address randomisation off)");
        }
        try {
            return new DockerContainerFactory(DockerContainerFactory.settings(properties), clock);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    InvokerProperties.PREFIX + "factory is 'docker' but Docker cannot be used: " + e.getMessage(), e);
        }
    }

    /** The machine's tensor store as this invoker sees it; no bean when sharing is off. */
    @Bean
    @ConditionalOnProperty(name = "hearth.invoker.tensors.sharing", havingValue = "true", matchIfMissing = true)
    TensorLedger tensorLedger(InvokerProperties properties, Clock clock) {
        InvokerProperties.Tensors t = properties.tensors();
        return new TensorLedger(new TensorStore(t.root()), clock, t.grace());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnBean(TensorLedger.class)
    TensorJanitor tensorJanitor(TensorLedger ledger, InvokerProperties properties, Clock clock) {
        return new TensorJanitor(
                ledger,
                clock,
                properties.tensors().grace(),
                properties.tensors().scrubOnStart());
    }

    @Bean
    TensorsEndpoint.TensorStatus tensorStatus(
            Optional<TensorLedger> ledger, ContainerPool pool, MeterRegistry registry) {
        TensorsEndpoint.TensorStatus status = new TensorsEndpoint.TensorStatus(ledger.orElse(null), pool);
        Gauge.builder("hearth.tensors", status, s -> s.usage().tensors().size())
                .description("tensors in the machine's store")
                .register(registry);
        Gauge.builder("hearth.tensors.stored.bytes", status, s -> s.usage().storedBytes())
                .register(registry);
        Gauge.builder("hearth.tensors.unshared.bytes", status, s -> s.usage().bytesWithoutSharing())
                .description("what the containers' shared weights would take without sharing")
                .register(registry);
        Gauge.builder("hearth.tensors.dedupe.ratio", status, s -> s.usage().dedupeRatio())
                .register(registry);
        return status;
    }

    @Bean(destroyMethod = "close")
    ContainerPool containerPool(
            ContainerFactory factory, Optional<TensorLedger> ledger, InvokerProperties properties, Clock clock) {
        return new ContainerPool(
                factory,
                ledger.<TensorAccount>map(l -> l).orElse(TensorAccount.NONE),
                properties.prewarm(),
                properties.userMemoryMb(),
                properties.idleTimeout(),
                clock,
                "inv" + properties.instance() + "-" + Long.toString(System.currentTimeMillis(), 36),
                // only Docker containers can be paused; process containers would ignore it
                factory instanceof DockerContainerFactory ? properties.docker().pauseGrace() : Duration.ZERO,
                properties.preload().background() ? CpuPriority.BACKGROUND : CpuPriority.NORMAL);
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
            Arrivals arrivals,
            WarmStarter warmStarter,
            Clock clock,
            InvokerProperties properties,
            MeterRegistry registry,
            ObjectProvider<LocalCompletions> local) {
        ActivationService service = new ActivationService(
                messaging,
                jdbc,
                artifacts,
                pool,
                arrivals,
                warmStarter,
                Cores.ofThisMachine(
                        properties.cpu().splitThreads(), properties.cpu().passMaxWait()),
                new ActivationService.Records(
                        properties.direct().storeDelay(), properties.direct().storeBatch()),
                local.getIfAvailable(() -> LocalCompletions.NONE),
                clock,
                properties.instance());
        FunctionCounter.builder("hearth.activations.direct", service, ActivationService::directCount)
                .description("blocking activations a controller sent over the direct path")
                .register(registry);
        FunctionCounter.builder("hearth.activations.duplicates", service, ActivationService::duplicateCount)
                .description("activations that arrived again (direct and Kafka) and were not run twice")
                .register(registry);
        return service;
    }

    @Bean
    WarmStarter warmStarter(ArtifactStore artifacts, ContainerPool pool, Clock clock) {
        return new WarmStarter(artifacts, pool, clock);
    }

    @Bean
    Arrivals arrivals() {
        return new Arrivals();
    }

    /** Action updates and deletes end the containers, warm starts and pre-loads kept for the old action. */
    @Bean(destroyMethod = "close")
    ActionChanges actionChanges(
            MessagingProvider messaging,
            ContainerPool pool,
            WarmStarter warmStarter,
            Arrivals arrivals,
            InvokerProperties properties) {
        return new ActionChanges(messaging, properties.instance(), pool, warmStarter, arrivals);
    }

    /**
     * Rare functions first: the pool weighs each container it lends by {@link RareFirst} over the
     * activations' {@link Arrivals}; with {@code hearth.invoker.cpu.rare-share=1} every action weighs 1.
     */
    @Bean
    InitializingBean rareFirstWeight(ContainerPool pool, Arrivals arrivals, InvokerProperties properties) {
        InvokerProperties.Cpu cpu = properties.cpu();
        return () -> {
            if (cpu.rareShare() > 1) {
                pool.setCpuWeight(
                        path -> RareFirst.share(arrivals.rateAtLastArrival(path), cpu.rareGap(), cpu.rareShare()));
            }
        };
    }

    /**
     * With {@code hearth.invoker.cpu.background-nice} above 0 (off by default), this JVM's threads that work
     * beside the calls give way to the containers' ({@link BackgroundThreads}); at 0 a bean that does nothing.
     */
    @Bean(destroyMethod = "close")
    AutoCloseable backgroundThreads(InvokerProperties properties) {
        Optional<BackgroundThreads> sweeper =
                BackgroundThreads.start(properties.cpu().backgroundNice(), Duration.ofSeconds(5));
        return sweeper.isPresent() ? sweeper.get() : () -> {};
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hearth.invoker.preload.enabled", havingValue = "true", matchIfMissing = true)
    Preloader preloader(
            ContainerPool pool,
            Arrivals arrivals,
            ArtifactStore artifacts,
            Optional<TensorLedger> ledger,
            InvokerProperties properties,
            Clock clock) {
        return new Preloader(
                pool,
                arrivals,
                artifacts,
                ledger.map(TensorLedger::tensorStore).orElse(null),
                properties.preload(),
                clock);
    }

    /**
     * The scheduler's decisions, applied to stem cells and pre-loads; {@code hearth.invoker.follow-scheduler=false}
     * keeps the configured stem cells whatever the scheduler says (benchmarks that compare fixed set-ups).
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "hearth.invoker.follow-scheduler", havingValue = "true", matchIfMissing = true)
    SchedulingListener schedulingListener(
            MessagingProvider messaging,
            ContainerPool pool,
            Optional<Preloader> preloader,
            WarmStarter warmStarter,
            InvokerProperties properties,
            Clock clock) {
        return new SchedulingListener(
                messaging,
                pool,
                preloader.orElse(null),
                warmStarter,
                properties.instance(),
                properties.prewarm(),
                clock);
    }

    @Bean(destroyMethod = "close")
    HealthPinger healthPinger(
            MessagingProvider messaging, ContainerPool pool, Clock clock, InvokerProperties properties) {
        return new HealthPinger(messaging.producer(), pool, clock, properties.instance(), properties.pingInterval());
    }

    /** Once the web server is up, pings advertise the direct path at its port (see {@link DirectActivations}). */
    @Bean
    @ConditionalOnProperty(name = "hearth.invoker.direct.enabled", havingValue = "true", matchIfMissing = true)
    ApplicationListener<WebServerInitializedEvent> directEndpointAdvertiser(
            HealthPinger pinger, InvokerProperties properties, Environment environment) {
        return event -> {
            URI url = DirectActivations.advertisedUrl(
                    properties.direct().url(),
                    environment.getProperty("server.address"),
                    DirectActivations::localHostAddress,
                    event.getWebServer().getPort());
            log.info("direct activations at {}/invoker/activations", url);
            pinger.advertise(url);
        };
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
