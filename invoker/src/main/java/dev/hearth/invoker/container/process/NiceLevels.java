package dev.hearth.invoker.container.process;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import dev.hearth.invoker.container.ContainerException;
import dev.hearth.invoker.container.CpuPriority;
import dev.hearth.invoker.cpu.ProcStat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process containers' CPU priority through nice levels. Linux keeps a nice value per thread, and a new
 * thread takes its creator's: a container started under {@code nice -n 19} runs every thread it ever
 * makes at 19 (a CFS weight of 15 against 1024 at nice 0, so ~1.5 % of a core it has to share with a
 * normal thread). Moving it back sets the level of each thread listed in {@code /proc/<pid>/task}
 * ({@code setpriority(PRIO_PROCESS, tid, level)} through JNA: ~1 ms for a Java container's 16 threads on
 * a loaded machine, most of it reading the levels back; running {@code renice} from the JVM took ~20 ms),
 * then reads the levels back and repeats for threads that were being created meanwhile, until every
 * thread is at the level (at most {@link #ROUNDS} rounds).
 *
 * <p>The scheduler's CPU share of a container is a level too ({@link #level}): the one whose weight is
 * nearest to the share's.
 *
 * <p>Lowering a nice value needs {@code CAP_SYS_NICE} or an {@code RLIMIT_NICE} of 20; without either
 * a container sent to the background could never come back, so {@link #find} offers nothing then, and
 * every container stays at the normal level. With an {@code RLIMIT_NICE} but no {@code CAP_SYS_NICE},
 * levels below {@code 20 - limit} are set as that level ({@link #lowest}).
 */
final class NiceLevels {
    private static final Logger log = LoggerFactory.getLogger(NiceLevels.class);

    /** The nice level of {@link CpuPriority#BACKGROUND}. */
    static final int BACKGROUND = 19;
    /** Renice rounds before giving up on threads that keep appearing at the wrong level. */
    static final int ROUNDS = 5;

    private static final int CAP_SYS_NICE = 23;

    private static final int PRIO_PROCESS = 0;

    /** What an invoker without nice levels does instead, for the log. */
    private static final String WITHOUT = "stem cells run at normal CPU priority and process containers take no CPU"
            + " share (the scheduler's or rare-first)";

    private final Path nice;
    private final Function setpriority;

    private final int lowest;

    private NiceLevels(Path nice, Function setpriority, int lowest) {
        this.nice = nice;
        this.setpriority = setpriority;
        this.lowest = lowest;
    }

    /**
     * The machine's {@code nice} and libc's {@code setpriority} when this process may also raise a
     * priority it lowered; empty (with the reason logged) otherwise.
     */
    static Optional<NiceLevels> find() {
        Optional<Path> nice = RuntimeMerging.onPath(List.of("nice"));
        if (nice.isEmpty()) {
            log.info("no nice on the PATH: {}", WITHOUT);
            return Optional.empty();
        }
        Function setpriority;
        try {
            setpriority = NativeLibrary.getInstance("c").getFunction("setpriority");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.info("no setpriority in libc ({}): {}", e.toString(), WITHOUT);
            return Optional.empty();
        }
        String status;
        String limits;
        try {
            status = Files.readString(Path.of("/proc/self/status"));
            limits = Files.readString(Path.of("/proc/self/limits"));
        } catch (IOException e) {
            log.info("cannot read /proc/self ({}): {}", e.toString(), WITHOUT);
            return Optional.empty();
        }
        int lowest = lowest(status, limits);
        if (lowest > 0) {
            log.info("the invoker may not raise a priority again (no CAP_SYS_NICE, RLIMIT_NICE below 20): {}", WITHOUT);
            return Optional.empty();
        }
        if (lowest > -10) {
            log.info(
                    "without CAP_SYS_NICE the invoker may lower nice values to {} only: CPU shares above"
                            + " that level's weight (a rare function's, the scheduler's) are applied as {}",
                    lowest,
                    lowest);
        }
        return Optional.of(new NiceLevels(nice.get(), setpriority, lowest));
    }

    /** The launcher prefix that starts a container at {@code priority}. */
    List<String> launcher(CpuPriority priority) {
        return priority == CpuPriority.BACKGROUND
                ? List.of(nice.toString(), "-n", Integer.toString(BACKGROUND))
                : List.of();
    }

    /**
     * Moves every thread of {@code pid} to {@code level} (see the class comment), or to the lowest level
     * this process may set where {@code level} is below it.
     */
    void set(long pid, int wanted) throws ContainerException {
        int level = Math.max(wanted, lowest);
        List<String> todo = tasks(pid);
        for (int round = 0; round < ROUNDS && !todo.isEmpty(); round++) {
            for (String tid : todo) { // failures are not trusted either way: the levels are read back
                setpriority.invokeInt(new Object[] {PRIO_PROCESS, Integer.parseInt(tid), level});
            }
            todo = threadsNotAt(pid, level); // and threads made meanwhile by one not yet moved
        }
        if (!todo.isEmpty()) {
            throw new ContainerException("cannot move the threads of process " + pid + " to nice " + level);
        }
    }

    /**
     * The level of a container at {@code priority} whose CPU weight should be {@code share} times the
     * default: the background's level, or the nice value whose CFS weight is nearest to {@code share}
     * times nice 0's, but never above 0. The kernel's weights fall by a factor of ~1.25 per level (1024 at 0,
     * 1991 at -3, 526 at 3), so the level is {@code -log(share) / log(1.25)}, rounded, within -20 (weight
     * 88761, ~87x: only a rare function's weight goes that far, for the length of one call) and 0.
     * Examples: 1.0 → 0, 2.0 → -3, 0.5 → 0, 10 → -10, 100 → -20.
     *
     * <p>Why not above 0: nice levels are absolute, and the platform's own threads (the invoker's, and in
     * one JVM the controller's and the gateway's, PostgreSQL, the broker) run at 0. A share below 1 (the
     * scheduler's 0.5 for a function well within its SLO) made its container yield to them, not only to
     * other containers: interleaved blocks of a warm ResNet-18 call through Hearth with its container at
     * nice 3 and at 0, two runs: 35.64 against 32.29 ms and 28.30 against 27.00 ms at p50 (session 20). So
     * such a share now runs at the default weight, and only shares above 1 tell containers apart.
     */
    static int level(CpuPriority priority, double share) {
        if (priority == CpuPriority.BACKGROUND) {
            return BACKGROUND;
        }
        long level = Math.round(-Math.log(share) / Math.log(1.25));
        return (int) Math.clamp(level, -20, 0);
    }

    /** The nice level of every thread of {@code pid} that has one (threads that exit meanwhile are left out). */
    static List<Integer> levels(long pid) throws ContainerException {
        List<Integer> levels = new ArrayList<>();
        for (String tid : tasks(pid)) {
            niceOf(pid, tid).ifPresent(levels::add);
        }
        return levels;
    }

    private static List<String> threadsNotAt(long pid, int level) throws ContainerException {
        List<String> off = new ArrayList<>();
        for (String tid : tasks(pid)) {
            Optional<Integer> n = niceOf(pid, tid);
            if (n.isPresent() && n.get() != level) {
                off.add(tid);
            }
        }
        return off;
    }

    private static List<String> tasks(long pid) throws ContainerException {
        try (Stream<Path> s = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new ContainerException("process " + pid + " is gone: " + e.getMessage(), e);
        }
    }

    private static Optional<Integer> niceOf(long pid, String tid) {
        try {
            return Optional.of(
                    ProcStat.nice(Files.readString(Path.of("/proc", Long.toString(pid), "task", tid, "stat"))));
        } catch (IOException e) {
            return Optional.empty(); // the thread exited
        }
    }

    /**
     * The lowest nice level a process with this {@code /proc/self/status} and {@code /proc/self/limits}
     * may set: -20 with {@code CAP_SYS_NICE} in its effective capabilities or an unlimited soft
     * {@code RLIMIT_NICE}, else the kernel's {@code 20 - limit} (20 without a limit line). Above 0, a
     * container sent to the background could not come back.
     */
    static int lowest(String status, String limits) {
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                long caps = Long.parseUnsignedLong(
                        line.substring("CapEff:".length()).trim(), 16);
                if ((caps & (1L << CAP_SYS_NICE)) != 0) {
                    return -20;
                }
            }
        }
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max nice priority")) {
                String soft =
                        line.substring("Max nice priority".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? -20 : (int) Math.clamp(20 - Long.parseLong(soft), -20, 20);
            }
        }
        return 20;
    }
}
