package dev.hearth.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures the proxy's start-up as the invoker sees it: from {@code ProcessBuilder.start()} to the READY
 * line, median of N runs per JVM flag set, the sets interleaved round-robin so background noise hits
 * them alike. Not a test; run it after {@code ./mvnw -o -pl test-support,runtime-proxy install}:
 *
 * <pre>
 * cd runtime-proxy &amp;&amp; java -cp target/test-classes:target/classes:$(ls ~/.m2/repository/com/google/code/gson/gson/2.13.2/gson-2.13.2.jar):../test-support/target/classes \
 *     dev.hearth.proxy.StartupBenchmark [runs=10]
 * </pre>
 */
public final class StartupBenchmark {

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("proxy-startup");
        Path jar = ProxyProcess.proxyJar(dir);
        Path archive = dir.resolve("proxy.jsa");
        Map<String, List<String>> configs = new LinkedHashMap<>();
        configs.put("default JVM flags", List.of());
        configs.put("RECOMMENDED_JVM_FLAGS", RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        configs.put("RECOMMENDED + AppCDS (jvmFlags(archive))", RuntimeProxy.jvmFlags(archive));
        Map<String, long[]> spawnToReady = new LinkedHashMap<>();
        Map<String, long[]> reported = new LinkedHashMap<>();
        for (String name : configs.keySet()) {
            spawnToReady.put(name, new long[runs]);
            reported.put(name, new long[runs]);
        }
        for (String name : configs.keySet()) {
            once(configs.get(name), jar); // warm the page cache; the AppCDS run writes the archive
        }
        for (int i = 0; i < runs; i++) {
            for (Map.Entry<String, List<String>> c : configs.entrySet()) {
                long[] r = once(c.getValue(), jar);
                spawnToReady.get(c.getKey())[i] = r[0];
                reported.get(c.getKey())[i] = r[1];
            }
        }
        System.out.printf("proxy start-up, %d runs each, java %s, %d CPUs%n", runs,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        for (String name : configs.keySet()) {
            System.out.printf("  %-42s spawn->READY median %4d ms (min %4d, max %4d); startupMs median %4d%n", name,
                    median(spawnToReady.get(name)), min(spawnToReady.get(name)), max(spawnToReady.get(name)),
                    median(reported.get(name)));
        }
    }

    /** {spawn to READY ms, the startupMs the proxy reported}. */
    private static long[] once(List<String> flags, Path jar) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ProxyProcess.command(flags, jar));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (line == null || !line.startsWith(RuntimeProxy.READY_PREFIX)) {
                throw new IllegalStateException("no READY line from " + command + ": " + line);
            }
            long reportedMs = Long.parseLong(line.substring(line.indexOf("startupMs=") + "startupMs=".length()));
            p.destroy(); // SIGTERM: a normal exit, so AutoCreateSharedArchive can write the archive
            p.waitFor(10, TimeUnit.SECONDS);
            return new long[] {ms, reportedMs};
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static long min(long[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
