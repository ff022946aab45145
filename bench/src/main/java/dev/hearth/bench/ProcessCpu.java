package dev.hearth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private final Map<String, Use> byName = new HashMap<>();
    private final Map<String, Use> byThread = new HashMap<>();
    private Map<Long, Sample> start = Map.of();
    private Map<Long, Sample> startThreads = Map.of();
    private int calls;

    /** A process's counters: CPU in user and system mode (ticks) and minor page faults. */
    private record Sample(String name, long user, long system, long minorFaults) {}

    /** What a process used over the stretches: CPU ms and minor page faults. */
    private record Use(double ms, double systemMs, long minorFaults) {
        Use plus(Use o) {
            return new Use(ms + o.ms, systemMs + o.systemMs, minorFaults + o.minorFaults);
        }
    }

    /** Marks the start of a stretch. */
    void begin() {
        start = snapshot();
        startThreads = threads();
    }

    /** Ends the stretch begun last, which made {@code n} calls, and adds each process's CPU to the totals. */
    void end(int n) {
        add(snapshot(), start, byName);
        add(threads(), startThreads, byThread);
        calls += n;
    }

    private static void add(Map<Long, Sample> now, Map<Long, Sample> start, Map<String, Use> into) {
        now.forEach((id, s) -> {
            Sample before = start.get(id);
            long user = s.user() - (before == null ? 0 : before.user());
            long system = s.system() - (before == null ? 0 : before.system());
            long faults = s.minorFaults() - (before == null ? 0 : before.minorFaults());
            if (user + system > 0) {
                into.merge(s.name(), new Use((user + system) * MS_PER_TICK, system * MS_PER_TICK, faults), Use::plus);
            }
        });
    }

    /**
     * The {@code top} processes by CPU, in ms a call, the first with its system share and minor page
     * faults a call, e.g. {@code "proxy 4242 25.10 (sys 3.20, 41 faults), this JVM 4.20"}: time in the
     * kernel and faults per call are what an allocator returning memory to it between calls shows.
     */
    String top(int top) {
        return top(byName, top);
    }

    /**
     * This JVM's threads by CPU, in ms a call, grouped by name with digits dropped ({@code "C2
     * CompilerThre"}, {@code "http-nio--exec-"}, {@code "kafka-producer-"}: Linux keeps 15 characters
     * of a thread's name): where the platform's own CPU goes.
     */
    String topThreads(int top) {
        return top(byThread, top);
    }

    private String top(Map<String, Use> byName, int top) {
        if (calls == 0 || byName.isEmpty()) {
            return "(no /proc here)";
        }
        List<Map.Entry<String, Use>> ranked = byName.entrySet().stream()
                .sorted(Comparator.comparingDouble(
                                (Map.Entry<String, Use> e) -> e.getValue().ms())
                        .reversed())
                .limit(top)
                .toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ranked.size(); i++) {
            Use u = ranked.get(i).getValue();
            out.append(i == 0 ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.2f", ranked.get(i).getKey(), u.ms() / calls));
            if (i == 0) {
                out.append(String.format(
                        Locale.ROOT,
                        " (sys %.2f, %.0f faults)",
                        u.systemMs() / calls,
                        (double) u.minorFaults() / calls));
            }
        }
        return out.toString();
    }

    /** This JVM's threads' counters, by thread id, each named by its name without digits. */
    private static Map<Long, Sample> threads() {
        return read(PROC.resolve("self/task"), (id, comm, dir) -> comm.replaceAll("[0-9]", ""));
    }

    /** Every process's counters, by pid, named by role ({@link #name}). */
    private static Map<Long, Sample> snapshot() {
        long self = ProcessHandle.current().pid();
        return read(PROC, (pid, comm, dir) -> name(pid, self, comm, dir));
    }

    /** How a process or thread is named from its id, command name and {@code /proc} directory. */
    private interface Namer {
        String name(long id, String comm, Path dir) throws IOException;
    }

    /** The counters in {@code <dir>/<id>/stat} for every numeric entry of {@code dir}. */
    private static Map<Long, Sample> read(Path dir, Namer namer) {
        Map<Long, Sample> out = new LinkedHashMap<>();
        try (Stream<Path> entries = Files.list(dir)) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        try {
                            long id = Long.parseLong(p.getFileName().toString());
                            String stat = Files.readString(p.resolve("stat"), StandardCharsets.UTF_8);
                            String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                            String[] f =
                                    stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            // after the command: state(0) ... minflt(7) ... utime(11) stime(12)
                            out.put(
                                    id,
                                    new Sample(
                                            namer.name(id, comm, p),
                                            Long.parseLong(f[11]),
                                            Long.parseLong(f[12]),
                                            Long.parseLong(f[7])));
                        } catch (IOException | RuntimeException gone) {
                            // the process or thread ended between the listing and the read
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
