package dev.hearth.invoker.cpu;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invoker's JVM can give way to its containers (off by default, see the measurement below): the
 * threads of this JVM that work beside a call rather than on its path (the JIT's compilers, G1's
 * concurrent threads, the records' writer, the Kafka producers, the feeds of events and scheduling, the
 * timers) run at a raised nice level, so that on a machine whose cores a model's forward pass fills they
 * take the cores the pass leaves rather than the pass's own.
 *
 * <p>The idea: a warm ResNet-50 call computes on both of this machine's cores for 50–60 ms, and whatever else
 * runs meanwhile at the same weight lengthens the pass by about its own CPU time (libtorch's operators end
 * at a barrier, so one preempted worker holds up the other). Per-thread CPU of the platform's JVM during
 * warm ResNet-50 calls ({@code bench/model-latency}, session 35): the path itself (the gateway's event
 * loop, the controller and invoker on virtual threads) ~3.4 ms a call, and beside it the compilers 1.05,
 * the records' writer 0.40, the events producer 0.30, the timers and feeds ~0.3 more. Linux keeps a nice
 * value per thread; at 10 a thread weighs 110 against 1024 at 0, so it gets ~10% of a core a normal thread
 * wants and all of an idle one: the JIT still settles, records are still written within a pass or two.
 * The threads on the call's path (request threads, virtual threads' carriers, the activation feed, the
 * reader of completions) stay at 0. With this JVM in the standalone platform the controller's and the
 * gateway's background threads are moved too.
 *
 * <p>Measured (session 35, {@code bench/model-latency --models resnet50 --background-ab}: alternating
 * blocks of 100 warm calls on one platform after 23000 calls of warm-up, level 10 against 0): p50 64.81
 * against 65.04 ms and 66.66 against 66.30 ms, the container's inference 57.43 / 57.77 and 59.52 / 58.90:
 * no gain within this machine's noise. What the platform does beside a settled warm call does not slow its
 * pass measurably; the pass's gaps seen earlier came with the container alone's weights in its own memory
 * (see README). So it is off by default ({@code hearth.invoker.cpu.background-nice=0}); a platform early in
 * its life, its JIT still busy, is where it might show and was not measured.
 *
 * <p>Threads come and go (the JIT adds compiler threads under load, clients start their I/O threads
 * late), so a sweep every few seconds lists {@code /proc/self/task}, picks threads by name
 * ({@link #isBackground}) and sets each one not at the level yet ({@code setpriority(PRIO_PROCESS, tid,
 * level)} through JNA; a process may always lower its own threads' priority). Linux only; elsewhere,
 * or with {@code hearth.invoker.cpu.background-nice=0}, nothing is moved.
 */
public final class BackgroundThreads implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackgroundThreads.class);

    private static final Path TASKS = Path.of("/proc/self/task");
    private static final int PRIO_PROCESS = 0;

    /**
     * Thread names, as Linux keeps them (the first 15 characters), that mark a background thread: the JVM's
     * own, then Hearth's and its clients' (see the threads' names where they are made).
     */
    static final List<String> PREFIXES = List.of(
            "C1 CompilerThre",
            "C2 CompilerThre",
            "G1 Conc#",
            "G1 Refine#",
            "G1 Service",
            "G1 Main Marker",
            "activation-reco", // DeferredRecords: inserts answered calls' records
            "kafka-producer-", // events, pings, completions (a blocking call's answer takes the direct path)
            "kafka-coordinat", // consumer groups' heartbeats
            "feed-events", // the scheduler's readers of events and pings
            "feed-scheduler-",
            "feed-scheduling", // the invoker's reader of scheduling decisions
            "feed-health-con", // the controller's reader of pings
            "scheduling",
            "pool-idle-sweep",
            "health-ping",
            "tensor-janitor",
            "preloader",
            "Catalina-utilit");

    private final Function setpriority;
    private final int level;
    private final ScheduledExecutorService sweeper;

    private BackgroundThreads(Function setpriority, int level, Duration every) {
        this.setpriority = setpriority;
        this.level = level;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("background-nice").factory());
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Sweeps this JVM's background threads to nice {@code level} now and every {@code every}; empty when
     * the level is 0 or there is no {@code /proc/self/task} or libc here (said in the log).
     */
    public static Optional<BackgroundThreads> start(int level, Duration every) {
        if (level == 0) {
            return Optional.empty();
        }
        Optional<Function> setpriority = setpriority();
        if (setpriority.isEmpty()) {
            log.info("no /proc/self/task or setpriority here: the invoker's background threads run at nice 0");
            return Optional.empty();
        }
        log.info("the invoker's background threads (JIT, GC, records, producers, timers) run at nice {}", level);
        return Optional.of(new BackgroundThreads(setpriority.get(), level, every));
    }

    /** Whether the thread called {@code name} (as {@code /proc} gives it) works beside the calls. */
    static boolean isBackground(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sets every background thread of this JVM that is not at {@code level} to it, once; the number moved.
     * Raising a priority again (a level below a thread's) needs {@code CAP_SYS_NICE}; a thread the kernel
     * refuses is left as it is.
     */
    public static int sweep(int level) {
        return setpriority().map(f -> sweep(f, level)).orElse(0);
    }

    private static int sweep(Function setpriority, int level) {
        int moved = 0;
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : tasks.toList()) {
                Optional<String> stat = read(task.resolve("stat"));
                if (stat.isEmpty()) {
                    continue; // the thread ended
                }
                String s = stat.get();
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                if (isBackground(name) && ProcStat.nice(s) != level) {
                    int tid = Integer.parseInt(task.getFileName().toString());
                    if (setpriority.invokeInt(new Object[] {PRIO_PROCESS, tid, level}) == 0) {
                        moved++;
                    }
                }
            }
        } catch (IOException e) {
            log.debug("cannot list this JVM's threads: {}", e.toString());
        }
        return moved;
    }

    private void sweepQuietly() {
        try {
            sweep(setpriority, level);
        } catch (RuntimeException e) {
            log.debug("background sweep failed: {}", e.toString());
        }
    }

    private static Optional<Function> setpriority() {
        if (!Files.isDirectory(TASKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(NativeLibrary.getInstance("c").getFunction("setpriority"));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
