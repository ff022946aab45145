package dev.hearth.bench.hops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code tcpdump} capturing TCP on the loopback interface into a pcap file: only headers and the first
 * bytes of each payload (enough for a request line), written packet by packet. Needs Debian's
 * {@code tcpdump} and the right to capture (root); it keeps root rather than switching to its own user,
 * so it can write into the benchmark's private folder.
 */
public final class LoopbackCapture implements AutoCloseable {
    private static final List<Path> PLACES = List.of(Path.of("/usr/bin/tcpdump"), Path.of("/usr/sbin/tcpdump"));

    private final Process process;
    private final Path file;
    private final CompletableFuture<String> summary;

    private LoopbackCapture(Process process, Path file, CompletableFuture<String> summary) {
        this.process = process;
        this.file = file;
        this.summary = summary;
    }

    /** Where {@code tcpdump} is, if installed. */
    public static Optional<Path> tcpdump() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "tcpdump"));
        return Stream.concat(PLACES.stream(), onPath)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Starts capturing into {@code file}; returns once {@code tcpdump} says it listens. */
    public static LoopbackCapture start(Path tcpdump, Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        tcpdump.toString(),
                        "-i",
                        "lo",
                        "-s",
                        String.valueOf(Pcap.HEAD_BYTES + 100),
                        "-U",
                        "-Z",
                        "root",
                        "-w",
                        file.toString(),
                        "tcp")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<String> summary = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("tcpdump-stderr").start(() -> {
            StringBuilder all = new StringBuilder();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    all.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process is gone; what it said so far is the summary
            }
            summary.complete(all.toString());
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<String> said = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                said.add(line);
                if (line.contains("listening on")) { // "tcpdump: listening on lo, link-type ..."
                    return new LoopbackCapture(p, file, summary);
                }
            } else if (!p.isAlive()) {
                break;
            }
        }
        p.destroyForcibly();
        throw new IOException("tcpdump did not start capturing on lo: " + String.join(" | ", said));
    }

    /** Stops the capture, lets {@code tcpdump} flush, and returns its closing words (packets captured and dropped). */
    public String stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        try {
            return summary.get(5, TimeUnit.SECONDS).strip().replace('\n', ';');
        } catch (Exception e) {
            return "(no summary)";
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
