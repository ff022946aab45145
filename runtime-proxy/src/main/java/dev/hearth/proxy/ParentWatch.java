package dev.hearth.proxy;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code --exit-with-parent}: the process invoker keeps the proxy's stdin open and never writes to
 * it; end of file means the invoker is gone (even killed with SIGKILL, when no shutdown hook runs),
 * so the proxy exits instead of living on as an orphan. Not for Docker containers, whose stdin is
 * closed from the start.
 */
final class ParentWatch {
    private ParentWatch() {}

    static void start() {
        Thread t = new Thread(ParentWatch::watch, "parent-watch");
        t.setDaemon(true);
        t.start();
    }

    private static void watch() {
        InputStream in = System.in;
        try {
            while (in.read() >= 0) {
                // nothing is ever written; keep reading until the pipe closes
            }
        } catch (IOException ignored) {
            // a broken pipe means the same as end of file
        }
        Runtime.getRuntime().halt(0);
    }
}
