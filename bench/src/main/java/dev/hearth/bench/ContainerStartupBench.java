package dev.hearth.bench;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import dev.hearth.invoker.InvokerProperties;
import dev.hearth.invoker.container.Container;
import dev.hearth.invoker.container.ContainerFactory;
import dev.hearth.invoker.container.InitRequest;
import dev.hearth.invoker.container.RunRequest;
import dev.hearth.invoker.container.RunResult;
import dev.hearth.invoker.container.docker.DockerContainerFactory;
import dev.hearth.invoker.container.process.ProcessContainerFactory;
import dev.hearth.testsupport.ActionFixture;
import dev.hearth.testsupport.ActionJars;
import dev.hearth.testsupport.Scratch;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Container cold start as the invoker pays it, for process containers (the baseline: a child JVM)
 * and Docker containers (the runtime-proxy image): {@code create} to the proxy's READY line, and
 * create + {@code /init} + the first {@code /run} of a no-op Java action. The two factories take turns
 * (so background noise hits both alike); medians, p90 and the ratio to the baseline are printed. Then
 * the cost of pausing and resuming an idle Docker container, and of a warm run after a resume against
 * one on a container that was never paused.
 *
 * <p>Usage: {@code bench/container-startup [--runs 7]} (needs an engine and the images:
 * {@code deploy/docker/engine up && deploy/docker/build-images}).
 */
public final class ContainerStartupBench {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ContainerStartupBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 7;
        Path dir = Scratch.dir("container-startup");
        InvokerProperties props = new Binder(new MapConfigurationPropertySource(Map.of(
                        "hearth.invoker.data-dir",
                        dir.toString(),
                        "hearth.invoker.process.warm-up-engine",
                        "false",
                        "hearth.invoker.docker.name",
                        "bench-" + UUID.randomUUID().toString().substring(0, 8))))
                .bindOrCreate("hearth.invoker", InvokerProperties.class);
        Path jar = ActionJars.build(dir.resolve("artifacts"), ActionFixture.ECHO);
        Map<String, ContainerFactory> factories = new LinkedHashMap<>();
        ProcessContainerFactory process =
                new ProcessContainerFactory(ProcessContainerFactory.settings(props), Clock.systemUTC());
        process.warmUp().get(120, TimeUnit.SECONDS); // the AppCDS archive every process container maps
        factories.put("process (baseline)", process);
        factories.put("docker", new DockerContainerFactory(DockerContainerFactory.settings(props), Clock.systemUTC()));
        Map<String, double[]> ready = new LinkedHashMap<>();
        Map<String, double[]> firstResult = new LinkedHashMap<>();
        Map<String, double[]> proxyStart = new LinkedHashMap<>();
        factories.keySet().forEach(k -> {
            ready.put(k, new double[runs]);
            firstResult.put(k, new double[runs]);
            proxyStart.put(k, new double[runs]);
        });
        for (ContainerFactory f : factories.values()) {
            coldStart(f, jar); // page cache, first-use costs
        }
        for (int i = 0; i < runs; i++) {
            for (Map.Entry<String, ContainerFactory> f : factories.entrySet()) {
                double[] t = coldStart(f.getValue(), jar);
                ready.get(f.getKey())[i] = t[0];
                firstResult.get(f.getKey())[i] = t[1];
                proxyStart.get(f.getKey())[i] = t[2];
            }
        }
        System.out.printf(
                "container cold start, %d runs each, 256 MB java action (echo), java %s, %d cores%n",
                runs, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        print("create to READY", ready);
        print("create + /init + first /run", firstResult);
        print("of which the proxy's own start-up (JVM start to READY, as it reports)", proxyStart);
        pauseCosts(factories.get("docker"), jar, Math.max(20, runs * 3));
        factories.values().forEach(ContainerFactory::close);
    }

    private static void print(String what, Map<String, double[]> samples) {
        System.out.println("  " + what + ":");
        double baseline = Stats.percentile(samples.values().iterator().next(), 50);
        samples.forEach((name, s) -> System.out.printf(
                "    %-20s median %7.1f ms  p90 %7.1f ms  ratio to baseline %.2f%n",
                name, Stats.percentile(s, 50), Stats.percentile(s, 90), Stats.percentile(s, 50) / baseline));
    }

    /**
     * {create to READY, create to the first result, the proxy's own start-up} in ms; the container is
     * destroyed after.
     */
    private static double[] coldStart(ContainerFactory factory, Path jar) throws Exception {
        long t0 = System.nanoTime();
        Container c = factory.create("b-" + UUID.randomUUID().toString().substring(0, 8), 256, "java");
        double readyMs = (System.nanoTime() - t0) / 1e6;
        try {
            c.init(new InitRequest("echo", ActionFixture.ECHO.mainClass(), jar, Map.of()), TIMEOUT);
            run(c);
            Long proxyMs = c.startTimings().runtimeStartMs();
            return new double[] {readyMs, (System.nanoTime() - t0) / 1e6, proxyMs == null ? Double.NaN : proxyMs};
        } finally {
            c.destroy();
        }
    }

    private static void run(Container c) {
        RunResult r = c.run(
                new RunRequest(RawJson.of(Json.tree("{}")), "ns", "/ns/echo", "0".repeat(32), "tx", 0, null, 0),
                TIMEOUT,
                1 << 20);
        if (!(r instanceof RunResult.Responded ok) || ok.status() != 200) {
            throw new IllegalStateException("the echo action failed: " + r);
        }
    }

    private static void pauseCosts(ContainerFactory docker, Path jar, int n) throws Exception {
        Container c = docker.create("b-pause", 256, "java");
        try {
            c.init(new InitRequest("echo", ActionFixture.ECHO.mainClass(), jar, Map.of()), TIMEOUT);
            for (int i = 0; i < 50; i++) {
                run(c); // warm the action's code paths
            }
            double[] pause = new double[n];
            double[] resume = new double[n];
            double[] warmAfterResume = new double[n];
            double[] warm = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                run(c);
                warm[i] = (System.nanoTime() - t) / 1e6;
                t = System.nanoTime();
                c.pause();
                pause[i] = (System.nanoTime() - t) / 1e6;
                Thread.sleep(20);
                t = System.nanoTime();
                c.resume();
                resume[i] = (System.nanoTime() - t) / 1e6;
                run(c);
                warmAfterResume[i] = (System.nanoTime() - t) / 1e6;
            }
            System.out.printf("  docker pause/unpause of an idle container, %d times:%n", n);
            System.out.printf(
                    "    pause  median %5.1f ms  p90 %5.1f ms%n",
                    Stats.percentile(pause, 50), Stats.percentile(pause, 90));
            System.out.printf(
                    "    resume median %5.1f ms  p90 %5.1f ms%n",
                    Stats.percentile(resume, 50), Stats.percentile(resume, 90));
            System.out.printf(
                    "    warm /run never paused (baseline) median %5.1f ms; resume + warm /run median %5.1f ms (ratio %.2f)%n",
                    Stats.percentile(warm, 50),
                    Stats.percentile(warmAfterResume, 50),
                    Stats.percentile(warmAfterResume, 50) / Stats.percentile(warm, 50));
        } finally {
            c.destroy();
        }
    }
}
