package dev.hearth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The machine's CPU by process, read from {@code /proc} around stretches of a benchmark, so that a slow
 * series says who ran beside it: a container's start-up, a JIT, another container's threads, the broker.
 * Processes are named by role (this JVM, the Kafka broker, PostgreSQL's, each runtime proxy by pid, the
 * plain {@code predict} JVM), the rest by their command name. Linux only; elsewhere it records nothing.
 */
final class ProcessCpu {
    private static final Path PROC = Path.of("/proc");
    private static final double MS_PER_TICK = 10.0; // USER_HZ is 100 on Linux

    private final Map<String, Double> msByName = new HashMap<>();
    private Map<Long, Sample> start = Map.of();
    private int calls;

    private record Sample(String name, long ticks) {}

    /** Marks the start of a stretch. */
    void begin() {
        start = snapshot();
    }

    /** Ends the stretch begun last, which made {@code n} calls, and adds each process's CPU to the totals. */
    void end(int n) {
        Map<Long, Sample> now = snapshot();
        now.forEach((pid, s) -> {
            Sample before = start.get(pid);
            long ticks = s.ticks() - (before == null ? 0 : before.ticks());
            if (ticks > 0) {
                msByName.merge(s.name(), ticks * MS_PER_TICK, Double::sum);
            }
        });
        calls += n;
    }

    /** The {@code top} processes by CPU, in ms a call, e.g. {@code "proxy 4242 25.1, this JVM 4.2"}. */
    String top(int top) {
        if (calls == 0 || msByName.isEmpty()) {
            return "(no /proc here)";
        }
        return msByName.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                .limit(top)
                .map(e -> String.format("%s %.2f", e.getKey(), e.getValue() / calls))
                .collect(Collectors.joining(", "));
    }

    private static Map<Long, Sample> snapshot() {
        Map<Long, Sample> out = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        try {
                            long pid = Long.parseLong(p.getFileName().toString());
                            String stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
                            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                            String[] f =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                            out.put(pid, new Sample(name(pid, self, comm, p), ticks));
                        } catch (IOException | RuntimeException gone) {
                            // the process ended between the listing and the read
                        }
                    });
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    private static String name(long pid, long self, String comm, Path dir) throws IOException {
        if (pid == self) {
            return "this JVM";
        }
        if (!comm.equals("java")) {
            return comm.startsWith("postgres") ? "postgres" : comm;
        }
        String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
        if (cmd.contains("dev.hearth.proxy.RuntimeProxy")) {
            return "proxy " + pid;
        }
        if (cmd.contains("KafkaChild")) {
            return "kafka";
        }
        if (cmd.contains(PlainPredict.class.getName())) {
            return "plain predict";
        }
        return "java " + pid;
    }
}
