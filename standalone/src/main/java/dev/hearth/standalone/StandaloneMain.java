package dev.hearth.standalone;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/hearth up}: starts the whole platform on this machine and keeps it running until
 * Ctrl-C (or SIGTERM from {@code bin/hearth down}). Prints the API host and the guest key, writes
 * the CLI configuration, and marks {@code <dataDir>/ready} once the gateway answers.
 *
 * <p>Options: {@code --data-dir DIR} (default {@code ~/.hearth/data}), {@code --port N} (gateway,
 * default 3233), {@code --invoker-memory MB} (default 4096).
 */
public final class StandaloneMain {
    private StandaloneMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(System.getProperty("user.home"), ".hearth", "data");
        int port = PlatformSettings.GATEWAY_PORT;
        int memory = 4096;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--invoker-memory" -> memory = Integer.parseInt(value(args, ++i, "--invoker-memory"));
                default -> usage("unknown option " + args[i]);
            }
        }
        dataDir = dataDir.toAbsolutePath();
        Files.createDirectories(dataDir.resolve("logs"));
        System.setProperty("hearth.log.dir", dataDir.resolve("logs").toString());
        Path ready = dataDir.resolve("ready");
        Files.deleteIfExists(ready);

        try (FileChannel lockFile = FileChannel.open(
                        dataDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                System.err.println(
                        "hearth: another Hearth is already running on " + dataDir + " (bin/hearth down stops it)");
                System.exit(1);
            }
            PlatformSettings d = PlatformSettings.defaults(dataDir);
            PlatformSettings settings = new PlatformSettings(
                    dataDir,
                    port,
                    d.controllerPort(),
                    d.invokerPort(),
                    d.schedulerPort(),
                    d.kafkaPort(),
                    d.kafkaControllerPort(),
                    d.postgresPort(),
                    memory,
                    d.extra());
            Platform platform;
            try {
                platform = Platform.start(settings);
            } catch (RuntimeException e) {
                System.err.println("hearth: could not start: " + e.getMessage());
                System.err.println("hearth: logs are in " + dataDir.resolve("logs"));
                System.exit(1);
                return;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                System.out.println("hearth: stopping ...");
                                platform.close();
                                try {
                                    Files.deleteIfExists(ready);
                                } catch (IOException ignored) {
                                    // best effort
                                }
                                stopped.countDown();
                                System.out.println("hearth: stopped");
                            },
                            "hearth-stop"));
            Path config = CliConfig.write(CliConfig.location(), platform.apiHost(), platform.guestKey());
            System.out.printf("""
                    Hearth is up.
                      API host:   %s
                      guest key:  %s
                      CLI config: %s
                      data:       %s
                      logs:       %s
                    Stop it with Ctrl-C (or bin/hearth down).
                    """, platform.apiHost(), platform.guestKey(), config, dataDir, dataDir.resolve("logs"));
            Files.writeString(ready, platform.apiHost() + "\n");
            stopped.await();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("hearth up: " + problem);
        System.err.println("usage: hearth up [--detach] [--data-dir DIR] [--port N] [--invoker-memory MB]");
        System.exit(2);
    }
}
