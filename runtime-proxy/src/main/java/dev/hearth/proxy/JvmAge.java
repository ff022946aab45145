package dev.hearth.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long ago this JVM's process started, cheaply. On Linux it reads {@code /proc/self/stat} (start
 * time in clock ticks since boot) and {@code /proc/uptime}, both on the boot-time clock with a 10 ms
 * tick: about 0.1 ms of work, 10 ms resolution. Elsewhere it asks the {@code RuntimeMXBean}, which is
 * exact but loads {@code java.management} (about 15 ms on a cold JVM), too slow for the Linux start-up
 * path.
 */
final class JvmAge {

    /** USER_HZ; 100 on every mainstream Linux build. */
    private static final long TICKS_PER_SECOND = 100;

    private JvmAge() {}

    static long nanos() {
        try {
            return fromProc();
        } catch (IOException | RuntimeException e) {
            return fromManagement();
        }
    }

    private static long fromProc() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        // Fields after the command name "(...)": state is field 3, starttime field 22.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long startTicks = Long.parseLong(fields[22 - 3]);
        // "12345.67 ..." seconds since boot, with hundredths (parsed by hand: no FloatingDecimal at start-up).
        String uptime = Files.readString(Path.of("/proc/uptime"));
        int dot = uptime.indexOf('.');
        long uptimeNanos = Long.parseLong(uptime.substring(0, dot)) * 1_000_000_000L
                + Long.parseLong(uptime.substring(dot + 1, dot + 3)) * 10_000_000L;
        long ageNanos = uptimeNanos - startTicks * (1_000_000_000L / TICKS_PER_SECOND);
        return Math.max(0, ageNanos);
    }

    private static long fromManagement() {
        try {
            long start =
                    java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
            return Math.max(0, (System.currentTimeMillis() - start) * 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            return 0; // no java.management module: report start-up as measured from main()
        }
    }
}
