package dev.hearth.standalone;

import java.io.IOException;

/**
 * The Kafka broker's main in its child JVM: Kafka's own {@code kafka.Kafka}, plus a watch on stdin.
 * The platform holds the pipe open and never writes; when it closes, the platform is gone (even if
 * killed with SIGKILL, when no shutdown hook runs), and the broker shuts down cleanly instead of
 * living on and holding its ports.
 */
public final class KafkaChild {
    private KafkaChild() {}

    public static void main(String[] args) throws Exception {
        Thread watch = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // nothing is written; wait for end of file
                        }
                    } catch (IOException ignored) {
                        // a broken pipe means the same
                    }
                    System.exit(0); // runs Kafka's shutdown hook: a clean stop
                },
                "parent-watch");
        watch.setDaemon(true);
        watch.start();
        kafka.Kafka.main(args);
    }
}
