package dev.hearth.standalone;

import dev.hearth.common.io.FileTrees;
import dev.hearth.controller.ControllerApplication;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.invoke.Invocations;
import dev.hearth.controller.loadbalancer.DirectInvoker;
import dev.hearth.controller.loadbalancer.LoadBalancer;
import dev.hearth.gateway.GatewayApplication;
import dev.hearth.invoker.InvokerApplication;
import dev.hearth.invoker.activation.ActivationService;
import dev.hearth.invoker.activation.LocalCompletions;
import dev.hearth.invoker.health.HealthPinger;
import dev.hearth.scheduler.SchedulerApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform in one JVM: a real Kafka broker (child JVM) and a real PostgreSQL (embedded
 * binaries) first, then controller, invoker, scheduler and gateway as separate Spring application
 * contexts, each with its own configuration file and port — the same services that run as
 * separate processes under docker-compose or Kubernetes. Closing stops them in reverse order;
 * the invoker removes its containers as it stops.
 *
 * <p>Three differences from separate processes: the gateway hands invocations to the controller by a method
 * call ({@link InProcessController}), the controller hands blocking activations to the invoker of this JVM by
 * a method call ({@link InProcessDirectInvoker}), not over HTTP, and the invoker hands the controller its
 * completions, once their records are stored, by a method call ({@code LocalCompletions}), not through
 * Kafka; {@value #IN_PROCESS}{@code =false} in the settings' {@code extra} turns all three off (the
 * benchmarks compare the two).
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);
    /** Auto-configurations a service must not run when its module's neighbours share the class path. */
    private static final String NO_DATABASE = String.join(
            ",",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");

    /**
     * A platform setting: invocations reach this JVM's controller, and blocking activations its invoker, by
     * method calls (default true).
     */
    public static final String IN_PROCESS = "hearth.standalone.in-process-direct";

    private static final String NO_FLYWAY = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final String guestKey;
    private String apiHost;
    private int controllerPort;
    private int invokerPort;
    private int schedulerPort;
    private InProcessController gatewayCalls;

    private Platform(String guestKey) {
        this.guestKey = guestKey;
    }

    public String apiHost() {
        return apiHost;
    }

    /** {@code uuid:key} of the guest namespace. */
    public String guestKey() {
        return guestKey;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** The invoker's own HTTP port (operators' endpoints: {@code /invoker/containers}, {@code /invoker/tensors}). */
    public int invokerPort() {
        return invokerPort;
    }

    /** The scheduler's HTTP port ({@code GET /policy}). */
    public int schedulerPort() {
        return schedulerPort;
    }

    /**
     * Whether the gateway hands invocations to the controller as method calls (the default, unless
     * {@value #IN_PROCESS}{@code =false}) or over loopback HTTP, as between processes; for the benchmarks,
     * which compare the two on one platform. No effect with {@value #IN_PROCESS}{@code =false}.
     */
    public void gatewayCallsInProcess(boolean on) {
        if (gatewayCalls != null) {
            gatewayCalls.enable(on);
        }
    }

    /** The gateway's calls into the controller, or null with {@value #IN_PROCESS}{@code =false}. */
    InProcessController gatewayCalls() {
        return gatewayCalls;
    }

    /**
     * The tensor store of a platform with this data directory, unless configured: on shared memory, one
     * per data directory (one invoker per store), {@code /dev/shm/hearth/<12 hex of the data dir's hash>}.
     */
    public static Path tensorRoot(Path dataDir) {
        String id = HexFormat.of()
                .formatHex(sha256(dataDir.toAbsolutePath().normalize().toString()))
                .substring(0, 12);
        return Path.of("/dev/shm/hearth", id, "tensors");
    }

    private static byte[] sha256(String text) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static Platform start(PlatformSettings s) {
        Path dataDir = s.dataDir().toAbsolutePath();
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dataDir, e);
        }
        Platform p = new Platform(GuestKey.loadOrCreate(dataDir));
        try {
            p.startAll(s, dataDir);
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void startAll(PlatformSettings s, Path dataDir) {
        long t0 = System.nanoTime();
        int[] kafkaPorts = kafkaPorts(s, dataDir);
        CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(
                () -> KafkaBroker.start(dataDir, kafkaPorts[0], kafkaPorts[1], Duration.ofSeconds(60)));
        Database db = Database.start(dataDir, s.postgresPort() == 0 ? freePort() : s.postgresPort());
        started.push(db);
        KafkaBroker broker = kafka.join();
        started.push(broker);
        log.info("infrastructure up in {} ms: {}, PostgreSQL on port {}", ms(t0), broker, db.port());

        Map<String, Object> common = new HashMap<>(s.extra());
        common.put("spring.main.banner-mode", "off");
        common.put("spring.main.register-shutdown-hook", "false");
        common.put("spring.jmx.enabled", "false");
        Map<String, Object> database = Map.of(
                "spring.datasource.url", db.jdbcUrl(),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres");

        Map<String, Object> controller = new HashMap<>(common);
        controller.putAll(database);
        controller.put("server.port", s.controllerPort());
        controller.put("hearth.controller.kafka.bootstrap-servers", broker.bootstrapServers());
        controller.put("hearth.controller.guest.key", guestKey);
        // One DJL native cache per machine: the controller validates bundles, containers run them.
        controller.put(
                "hearth.controller.djl-cache-dir", dataDir.resolve("djl-cache").toString());
        boolean inProcess = !"false".equals(String.valueOf(s.extra().getOrDefault(IN_PROCESS, "true")));
        InProcessDirectInvoker.Attachment local = new InProcessDirectInvoker.Attachment();
        SpringApplicationBuilder controllerApp = ControllerApplication.builder();
        if (inProcess) {
            controllerApp.initializers(ctx -> ctx.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    return bean instanceof DirectInvoker remote ? new InProcessDirectInvoker(remote, local) : bean;
                }
            }));
        }
        ConfigurableApplicationContext c = run(controllerApp, controller);
        controllerPort = port(c);

        Map<String, Object> invoker = new HashMap<>(common);
        invoker.putAll(database);
        invoker.put("server.port", s.invokerPort());
        invoker.put("spring.autoconfigure.exclude", NO_FLYWAY);
        invoker.put("hearth.invoker.kafka.bootstrap-servers", broker.bootstrapServers());
        invoker.put("hearth.invoker.data-dir", dataDir.resolve("invoker").toString());
        invoker.put("hearth.invoker.user-memory-mb", s.invokerMemoryMb());
        invoker.put("hearth.invoker.djl-cache-dir", dataDir.resolve("djl-cache").toString());
        if (!invoker.containsKey("hearth.invoker.tensors.root")) {
            // Shared memory is RAM: a stopped platform gives it back (popped after the invoker stops).
            Path store = tensorRoot(dataDir);
            invoker.put("hearth.invoker.tensors.root", store.toString());
            started.push(() -> FileTrees.delete(store.getParent()));
        }
        SpringApplicationBuilder invokerApp = InvokerApplication.builder();
        if (inProcess) {
            LoadBalancer balancer = c.getBean(LoadBalancer.class);
            int controllerIndex = c.getBean(ControllerProperties.class).instance();
            LocalCompletions completions = (to, completion) -> {
                if (to != controllerIndex) {
                    return false;
                }
                balancer.completedInThisJvm(completion);
                return true;
            };
            invokerApp.initializers(ctx -> ctx.getBeanFactory().registerSingleton("localCompletions", completions));
        }
        ConfigurableApplicationContext i = run(invokerApp, invoker);
        invokerPort = port(i);
        URI endpoint = i.getBean(HealthPinger.class).advertised();
        if (inProcess && endpoint != null) {
            local.attach(new InProcessDirectInvoker.Local(endpoint, i.getBean(ActivationService.class)::runNow));
            started.push(local::detach); // before the invoker stops
        }
        awaitInvoker(c.getBean(LoadBalancer.class), Duration.ofSeconds(30));

        Map<String, Object> scheduler = new HashMap<>(common);
        scheduler.put("server.port", s.schedulerPort());
        scheduler.put("spring.autoconfigure.exclude", NO_DATABASE);
        scheduler.put("hearth.scheduler.kafka-bootstrap-servers", broker.bootstrapServers());
        schedulerPort = port(run(SchedulerApplication.builder(), scheduler));

        Map<String, Object> gateway = new HashMap<>(common);
        gateway.put("server.port", s.gatewayPort());
        gateway.put("spring.autoconfigure.exclude", NO_DATABASE);
        gateway.put("hearth.gateway.controllers[0]", "http://127.0.0.1:" + controllerPort);
        SpringApplicationBuilder gatewayApp = GatewayApplication.builder();
        if (inProcess) {
            gatewayCalls = new InProcessController(c.getBean(Invocations.class));
            started.push(gatewayCalls); // closed once the gateway has stopped
            gatewayApp.initializers(ctx -> ctx.getBeanFactory().registerSingleton("localController", gatewayCalls));
        }
        ConfigurableApplicationContext g = run(gatewayApp, gateway);
        apiHost = "http://127.0.0.1:" + port(g);
        log.info("Hearth is up at {} in {} ms", apiHost, ms(t0));
    }

    /** Settings go in as command-line arguments: they win over each service's own yml defaults. */
    /** "Up" means an invocation can be placed: the controller has seen the invoker's ping. */
    private static void awaitInvoker(LoadBalancer balancer, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (balancer.healthyInvokers() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no invoker pinged the controller within " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the invoker", e);
            }
        }
    }

    private ConfigurableApplicationContext run(SpringApplicationBuilder builder, Map<String, Object> props) {
        String[] args = props.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext ctx = builder.run(args);
        started.push(ctx::close);
        return ctx;
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    /** Kafka's controller endpoint is part of its formatted quorum, so chosen ports are kept. */
    private static int[] kafkaPorts(PlatformSettings s, Path dataDir) {
        if (s.kafkaPort() != 0 && s.kafkaControllerPort() != 0) {
            return new int[] {s.kafkaPort(), s.kafkaControllerPort()};
        }
        Path file = dataDir.resolve("kafka-ports.properties");
        Properties p = new Properties();
        try {
            if (Files.exists(file)) {
                try (var r = Files.newBufferedReader(file)) {
                    p.load(r);
                }
                return new int[] {Integer.parseInt(p.getProperty("port")), Integer.parseInt(p.getProperty("controller"))
                };
            }
            int[] ports = {freePort(), freePort()};
            p.setProperty("port", Integer.toString(ports[0]));
            p.setProperty("controller", Integer.toString(ports[1]));
            try (var w = Files.newBufferedWriter(file)) {
                p.store(w, "ports chosen for this data directory's Kafka broker");
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** A port nothing listens on now (the kernel's pick). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
    }
}
