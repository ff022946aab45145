package dev.hearth.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * {@code -Dhearth.proxy.pass-log=<dir>}: one line per model {@code /run} appended to
 * {@code <dir>/<pid>.log}, saying where the pass's wall time went: the process's CPU time and the time
 * its threads waited in the kernel's run queue ({@code /proc/self/task/}{@code *}{@code /schedstat}),
 * its minor and major page faults ({@code /proc/self/stat}) and the machine's busy and idle time
 * ({@code /proc/stat}) over the same interval. A diagnostic for benchmarks: reading every thread's
 * schedstat costs ~0.5 ms, so it is off unless asked for.
 */
final class PassLog {
    static final String PROPERTY = "hearth.proxy.pass-log";

    private final Path file;
    private Snapshot before;
    private long startMillis;

    PassLog(Path file) {
        this.file = file;
    }

    /** The log asked for by {@value #PROPERTY}, or null. */
    static PassLog ifAsked() {
        String dir = System.getProperty(PROPERTY);
        if (dir == null || dir.isEmpty()) {
            return null;
        }
        return new PassLog(Path.of(dir, ProcessHandle.current().pid() + ".log"));
    }

    void start() {
        startMillis = System.currentTimeMillis();
        before = Snapshot.now();
    }

    void end(int threads) {
        Snapshot after = Snapshot.now();
        long endMillis = System.currentTimeMillis();
        String line = String.format(
                Locale.ROOT,
                "start=%d wall=%d threads=%d cpu=%.1f runq=%.1f minflt=%d majflt=%d machineBusy=%d machineIdle=%d%n",
                startMillis,
                endMillis - startMillis,
                threads,
                (after.cpuNanos - before.cpuNanos) / 1e6,
                (after.waitNanos - before.waitNanos) / 1e6,
                after.minflt - before.minflt,
                after.majflt - before.majflt,
                (after.machineBusy - before.machineBusy) * 10,
                (after.machineIdle - before.machineIdle) * 10);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a diagnostic: never fail the run for it
        }
    }

    private record Snapshot(
            long cpuNanos, long waitNanos, long minflt, long majflt, long machineBusy, long machineIdle) {
        static Snapshot now() {
            long cpu = 0;
            long wait = 0;
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
                for (Path task : tasks) {
                    try {
                        String[] f = Files.readString(task.resolve("schedstat"))
                                .trim()
                                .split(" ");
                        cpu += Long.parseLong(f[0]);
                        wait += Long.parseLong(f[1]);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended
                    }
                }
            } catch (IOException e) {
                return new Snapshot(0, 0, 0, 0, 0, 0);
            }
            long minflt = 0;
            long majflt = 0;
            long busy = 0;
            long idle = 0;
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                minflt = Long.parseLong(f[7]);
                majflt = Long.parseLong(f[9]);
                String[] m =
                        Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split(" +");
                for (int i = 1; i < m.length && i <= 8; i++) {
                    long v = Long.parseLong(m[i]);
                    if (i == 4 || i == 5) {
                        idle += v;
                    } else {
                        busy += v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // leave them 0
            }
            return new Snapshot(cpu, wait, minflt, majflt, busy, idle);
        }
    }
}
