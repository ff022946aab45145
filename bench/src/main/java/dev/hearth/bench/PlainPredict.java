package dev.hearth.bench;

import com.google.gson.JsonParser;
import dev.hearth.model.host.LoadedModel;
import dev.hearth.model.host.ModelHost;
import dev.hearth.proxy.RuntimeProxy;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code predict} in a plain JVM of its own: a child process that loads one bundle with the model host and
 * nothing else, the baseline a user calling DJL in their own program would see. The parent sends a count on
 * the child's standard input; the child answers with that many {@code predict} latencies (ms, one line,
 * timed inside the child, the request's JSON parsed each time as a server would) followed by the forward
 * pass of each ({@link LoadedModel#lastInferenceMs}, the part a container reports as its inference), and
 * exits at the end of its input.
 */
public final class PlainPredict implements AutoCloseable {
    /** What the child prints once its model is loaded. */
    static final String READY = "plain-predict ready";

    /** How the child's answer lines start. */
    static final String ANSWER = "plain-predict ms:";

    private final Process process;
    private final BufferedWriter commands;
    private final BufferedReader answers;
    private double[] lastForward = new double[0];

    private PlainPredict(Process process) {
        this.process = process;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts the child on this JVM's {@code java} and class path with no flags but native access, and glibc's
     * allocator thresholds fixed as a runtime proxy has them, loading {@code bundle}; {@code request} is
     * written to {@code work} for it.
     */
    static PlainPredict start(Path work, Path bundle, String request) throws IOException {
        Path requestFile = Files.writeString(Files.createTempFile(work, "plain-predict", ".json"), request);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        PlainPredict.class.getName(),
                        bundle.toString(),
                        requestFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // glibc's thresholds fixed as the runtime proxy fixes them (NativeHeapTrim.fixThresholds): with its
        // dynamic defaults a process may give ~9 MB back after every ResNet-50 pass and fault it in again in
        // the next (2189 faults, 20 ms in the kernel a call in one run), a baseline a third slower by chance.
        pb.environment().putAll(RuntimeProxy.mallocThresholdsEnvironment());
        Process p = pb.start();
        PlainPredict child = new PlainPredict(p);
        for (String line; (line = child.answers.readLine()) != null; ) {
            if (line.equals(READY)) {
                return child;
            }
        }
        child.close();
        throw new IOException("the plain predict JVM ended before it was ready");
    }

    /** {@code n} calls of {@code predict} in the child, their latencies in ms. */
    double[] timed(int n) throws IOException {
        commands.write(n + "\n");
        commands.flush();
        String line;
        do { // a library's own output may come between answers
            line = answers.readLine();
            if (line == null) {
                throw new IOException("the plain predict JVM ended");
            }
        } while (!line.startsWith(ANSWER));
        String[] halves = line.substring(ANSWER.length()).split("\\|");
        lastForward = numbers(halves[1]);
        return numbers(halves[0]);
    }

    /** The forward passes of the calls the last {@link #timed} timed, in ms. */
    double[] lastForward() {
        return lastForward.clone();
    }

    private static double[] numbers(String line) {
        String[] parts = line.trim().split(" ");
        double[] ms = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ms[i] = Double.parseDouble(parts[i]);
        }
        return ms;
    }

    @Override
    public void close() throws IOException {
        commands.close();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** The child: {@code PlainPredict <bundle> <request file>}. */
    public static void main(String[] args) throws Exception {
        String request = Files.readString(Path.of(args[1]));
        try (LoadedModel model = new ModelHost().load(Path.of(args[0]))) {
            System.out.println(READY);
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                int n = Integer.parseInt(line.trim());
                List<String> ms = new ArrayList<>(n);
                List<String> forward = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    model.predict(JsonParser.parseString(request).getAsJsonObject());
                    ms.add(String.format(Locale.ROOT, "%.3f", (System.nanoTime() - t0) / 1e6));
                    forward.add(String.format(Locale.ROOT, "%.3f", model.lastInferenceMs()));
                }
                System.out.println(ANSWER + " " + String.join(" ", ms) + " | " + String.join(" ", forward));
                System.out.flush();
            }
        }
    }
}
