package dev.hearth.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one node) in a child JVM, its data in
 * {@code <dataDir>/kafka} so topics survive a restart. The child runs on this process's own class
 * path (kafka_2.13 is a dependency of this module) and logs to {@code <dataDir>/logs/kafka.log}.
 * A child JVM rather than an in-process server: Kafka calls {@code System.exit} on fatal errors and
 * keeps many threads, neither of which belongs in the platform's JVM.
 */
final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private KafkaBroker(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the storage on first use, starts the broker and waits until its port answers. */
    static KafkaBroker start(Path dataDir, int port, int controllerPort, Duration timeout) {
        try {
            Path dir = dataDir.resolve("kafka");
            Path logs = Files.createDirectories(dataDir.resolve("logs"));
            Files.createDirectories(dir);
            Path config = writeConfig(dir, port, controllerPort);
            Path logback = writeLogback(dir, logs.resolve("kafka.log"));
            if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                String clusterId = uuidBase64();
                run(
                        javaCommand(
                                logback,
                                List.of("-XX:TieredStopAtLevel=1"), // a one-off tool: C1 alone starts sooner
                                "kafka.tools.StorageTool",
                                "format",
                                "--standalone",
                                // one argument: an id that starts with '-' (1 in 64 base64url ids)
                                // would otherwise be read as an option and the format would fail
                                "--cluster-id=" + clusterId,
                                "-c",
                                config.toString()),
                        logs.resolve("kafka-format.log"),
                        Duration.ofSeconds(60));
            }
            Process p = new ProcessBuilder(
                            javaCommand(logback, List.of(), KafkaChild.class.getName(), config.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            logs.resolve("kafka.out").toFile()))
                    .start();
            KafkaBroker broker = new KafkaBroker(dir, port, p);
            broker.awaitPort(timeout, logs);
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker", e);
        }
    }

    private static Path writeConfig(Path dir, int port, int controllerPort) throws IOException {
        String props = String.join(
                "\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=4",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "auto.create.topics.enable=true",
                "message.max.bytes=8388608",
                "log.retention.hours=24",
                // the active controller's no-op record every 500 ms by default: a raft append and its
                // readers' work twice a second on the cores of the platform's calls, for quorum-health
                // metrics that a one-node embedded quorum does not need
                "metadata.max.idle.interval.ms=30000",
                "");
        Path config = dir.resolve("server.properties");
        Files.writeString(config, props);
        return config;
    }

    private static Path writeLogback(Path dir, Path logFile) throws IOException {
        Path f = dir.resolve("logback-kafka.xml");
        Files.writeString(f, """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <encoder><pattern>%%d{ISO8601} %%-5level %%logger{30} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="FILE"/></root>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                </configuration>
                """.formatted(logFile));
        return f;
    }

    /**
     * The child JVM's command. The broker itself runs with C2 too, not C1 alone: it serves a few requests
     * for every activation (a record's completion and event, their readers' fetches), and with C1's code its
     * request threads took 3.0-3.5 ms of CPU per warm model call, with C2's 1.8 (on the 2 cores the call
     * runs on).
     */
    private static List<String> javaCommand(Path logback, List<String> flags, String main, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m",
                "-Xmx512m",
                "-XX:+UseSerialGC"));
        cmd.addAll(flags);
        cmd.addAll(List.of(
                "-Djava.awt.headless=true",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void run(List<String> cmd, Path log, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Kafka storage format failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private void awaitPort(Duration timeout, Path logs) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + "; see "
                        + logs.resolve("kafka.out") + " and kafka.log");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new IllegalStateException("the Kafka broker did not open port " + port + " within " + timeout);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String uuidBase64() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return "Kafka at " + bootstrapServers() + " (" + dir + ")";
    }
}
