package dev.hearth.invoker.container.docker;

import dev.hearth.invoker.container.process.LogStream;
import dev.hearth.proxy.RuntimeProxy;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's output as the engine streams it: chunks are cut into lines per stream. Until the
 * proxy's READY line, lines are start-up output (the last ones are kept to explain a failed start);
 * after it, each line goes to its stream's {@link LogStream}, which cuts activations at the sentinel
 * lines exactly as for process containers. A line longer than {@value #MAX_LINE} bytes is cut.
 */
final class ProxyOutput implements DockerApi.Output {
    static final int MAX_LINE = 64 * 1024;
    private static final Pattern READY = Pattern.compile(Pattern.quote(RuntimeProxy.READY_PREFIX) + " port=(\\d+).*");
    private static final Pattern STARTUP_MS = Pattern.compile(".* startupMs=(\\d+).*");

    /** What the READY line said. */
    record Ready(int port, Long startupMs) {}

    private final LogStream stdout;
    private final LogStream stderr;
    private final CompletableFuture<Ready> ready = new CompletableFuture<>();
    private final ByteArrayOutputStream outLine = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errLine = new ByteArrayOutputStream();
    private final Deque<String> startupTail = new ArrayDeque<>();

    ProxyOutput(LogStream stdout, LogStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    CompletableFuture<Ready> ready() {
        return ready;
    }

    @Override
    public synchronized void chunk(boolean isStderr, byte[] bytes) {
        ByteArrayOutputStream line = isStderr ? errLine : outLine;
        for (byte b : bytes) {
            if (b == '\n') {
                emit(isStderr, line);
            } else {
                line.write(b);
                if (line.size() >= MAX_LINE) {
                    emit(isStderr, line);
                }
            }
        }
    }

    @Override
    public synchronized void end() {
        if (outLine.size() > 0) {
            emit(false, outLine);
        }
        if (errLine.size() > 0) {
            emit(true, errLine);
        }
        stdout.eof();
        stderr.eof();
        ready.completeExceptionally(new IllegalStateException("the container exited"));
    }

    /** The last start-up lines ({@code stream: text}), for the error of a failed start. */
    synchronized String startupTail() {
        return String.join("\n", startupTail);
    }

    synchronized void clearStartupTail() {
        startupTail.clear();
    }

    private void emit(boolean isStderr, ByteArrayOutputStream buffer) {
        String text = buffer.toString(StandardCharsets.UTF_8);
        buffer.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (!ready.isDone()) {
            Matcher m = isStderr ? null : READY.matcher(text);
            if (m != null && m.matches()) {
                Matcher ms = STARTUP_MS.matcher(text);
                ready.complete(
                        new Ready(Integer.parseInt(m.group(1)), ms.matches() ? Long.valueOf(ms.group(1)) : null));
                return;
            }
            startupTail.add((isStderr ? "stderr: " : "stdout: ") + text);
            if (startupTail.size() > 20) {
                startupTail.poll();
            }
            return;
        }
        (isStderr ? stderr : stdout).line(text);
    }
}
