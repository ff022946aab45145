package dev.hearth.bench;

import dev.hearth.proxy.RuntimeProxy;
import dev.hearth.testsupport.ActionJars;
import dev.hearth.testsupport.Scratch;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The runtime proxy's start-up as the invoker sees it, from {@code ProcessBuilder.start()} to the
 * READY line: the JVM's default flags (the baseline), {@link RuntimeProxy#RECOMMENDED_JVM_FLAGS}
 * (the invoker's), and those plus a dynamic AppCDS archive (the invoker's class cache before JDK 25; on
 * 25+ it uses an AOT cache, compared with the archive by {@link ProxyClassCacheBench}). The three are
 * interleaved round-robin so background noise hits them alike; medians and ratios to the baseline are printed.
 *
 * <p>Usage: {@code bench/proxy-startup [--runs 20]}.
 */
public final class ProxyStartupBench {
    private ProxyStartupBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 20;
        Path archive = Scratch.dir("proxy-cds").resolve("proxy.jsa");
        Map<String, List<String>> configs = new LinkedHashMap<>();
        configs.put("default JVM flags (baseline)", List.of());
        configs.put("RECOMMENDED_JVM_FLAGS (invoker)", RuntimeProxy.RECOMMENDED_JVM_FLAGS);
        configs.put("recommended + AppCDS archive", RuntimeProxy.jvmFlags(archive));
        Map<String, double[]> samples = new LinkedHashMap<>();
        configs.keySet().forEach(k -> samples.put(k, new double[runs]));
        for (List<String> flags : configs.values()) {
            once(flags); // page cache, and the AppCDS run writes its archive
        }
        for (int i = 0; i < runs; i++) {
            for (Map.Entry<String, List<String>> c : configs.entrySet()) {
                samples.get(c.getKey())[i] = once(c.getValue());
            }
        }
        System.out.printf(
                "runtime-proxy start-up, spawn to READY, %d runs each, java %s, %d cores%n",
                runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        double baseline = Stats.percentile(samples.values().iterator().next(), 50);
        samples.forEach((name, s) -> System.out.printf(
                "  %-34s median %5.1f ms  p90 %5.1f ms  ratio to baseline %.2f%n",
                name, Stats.percentile(s, 50), Stats.percentile(s, 90), Stats.percentile(s, 50) / baseline));
    }

    private static double once(List<String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(flags);
        command.addAll(List.of(
                "-cp",
                Path.of(RuntimeProxy.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .toURI())
                        + File.pathSeparator
                        + ActionJars.gsonJar(),
                RuntimeProxy.class.getName()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (line == null || !line.startsWith(RuntimeProxy.READY_PREFIX)) {
                throw new IllegalStateException("no READY line from " + command + ": " + line);
            }
            p.destroy(); // SIGTERM is a normal exit: AutoCreateSharedArchive writes the archive then
            p.waitFor(10, TimeUnit.SECONDS);
            return ms;
        }
    }
}
