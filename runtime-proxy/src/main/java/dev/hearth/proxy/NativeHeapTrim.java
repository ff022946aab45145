package dev.hearth.proxy;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Gives the C heap's free pages back to the kernel ({@code malloc_trim(0)} of glibc) once a model proxy
 * has been idle: {@link #AFTER_LOAD_MS} after {@code /engine}, a model load, a pre-load or an off-load,
 * {@link #AFTER_RUN_MS} after a {@code /run}. A new activation cancels a pending trim, so requests less
 * than {@link #AFTER_RUN_MS} apart never pay for it.
 *
 * <p>Why: glibc keeps what libtorch frees. Measured on one warm ResNet-50 container sharing its weights
 * (docs/architecture.md, "Where a model container's memory goes"): after {@code /init} the main arena
 * holds ~69 MB of which ~21 MB is free; after 30 inferences the arenas hold ~420 MB, of which
 * {@code malloc_trim(0)} returns ~350 MB. Fixed thresholds ({@code MALLOC_MMAP_THRESHOLD_}) keep the
 * arenas small too but map and fault every activation tensor on every request, and
 * {@code MALLOC_ARENA_MAX} does not return free memory at all.
 *
 * <p>Caveat: the first request after a trim faults in the pages the forward pass needs again: a ResNet-50
 * request after 1.6 s of idleness took 111 and 127 ms (p50, two runs) with a trim in between against 99
 * and 90 ms without, so trims after runs wait {@link #AFTER_RUN_MS}. A request right after {@code /init}
 * cancels the trim after the load. A libc without {@code malloc_trim} (musl) makes this a no-op.
 *
 * <p>Those figures predate the model host's step-by-step forward pass (session 23), which frees each
 * step's activations as it goes: since then a ResNet-50 container's trim gives back ~50 MB instead of
 * ~350, and the first pass after it faults ~12 000 pages instead of ~37 000 (on a virtual machine where a
 * new page costs ~12 µs, ~150 ms instead of ~450; see docs/architecture.md).
 */
final class NativeHeapTrim {
    /** {@code -Dhearth.proxy.heap-trim=false} turns trimming off (to compare, in benchmarks). */
    static final String SWITCH = "hearth.proxy.heap-trim";

    /** Idle time after model loading (and {@code /engine}, {@code /offload}) before a trim. */
    static final long AFTER_LOAD_MS = 1000;

    /** Idle time after a {@code /run} before a trim: longer, as the next request pays for the trim. */
    static final long AFTER_RUN_MS = 10_000;

    private final Runnable trim;
    private final ScheduledExecutorService timer;
    private final AtomicLong trims = new AtomicLong();
    private final AtomicLong lastTrimMicros = new AtomicLong(-1);
    private ScheduledFuture<?> pending;

    NativeHeapTrim(Runnable trim, ScheduledExecutorService timer) {
        this.trim = trim;
        this.timer = timer;
    }

    /** glibc's {@code malloc_trim(0)} on a daemon timer thread, or null when this libc has none or it is switched off. */
    static NativeHeapTrim glibc() {
        return glibc(System.getProperty(SWITCH));
    }

    /** {@link #glibc()} with the switch's value given ({@code "false"}: off). */
    static NativeHeapTrim glibc(String setting) {
        if ("false".equals(setting)) {
            return null;
        }
        Function mallocTrim;
        try {
            mallocTrim = NativeLibrary.getInstance("c").getFunction("malloc_trim");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
        fixThresholds();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hearth-heap-trim");
            t.setDaemon(true);
            return t;
        });
        return new NativeHeapTrim(() -> mallocTrim.invokeInt(new Object[] {0}), timer);
    }

    /** glibc's {@code M_TRIM_THRESHOLD}, {@code M_TOP_PAD} and {@code M_MMAP_THRESHOLD} ({@code mallopt}'s parameters). */
    private static final int M_TRIM_THRESHOLD = -1;

    private static final int M_TOP_PAD = -2;

    private static final int M_MMAP_THRESHOLD = -3;

    /** Blocks up to this size come from the arenas, not from a mapping of their own (glibc's maximum). */
    static final int MMAP_THRESHOLD = 32 << 20;

    /** Free memory at an arena's top up to this size stays with the process until the idle trim. */
    static final int TRIM_THRESHOLD = 1 << 30;

    /**
     * The padding glibc keeps when it trims a thread's arena: one whole arena heap (64 MB on 64-bit), so that
     * an arena's extra heap, once empty, is kept instead of unmapped (see {@link #fixThresholds}). Address
     * space only: pages are touched when used and the idle trim still gives free ones back.
     */
    static final int TOP_PAD = 64 << 20;

    /**
     * Fixes glibc's thresholds, so that while the proxy is busy freed memory stays for the next pass and
     * only the idle trim gives it back. glibc's own are dynamic: they rise when a mapped block is freed,
     * so what a process keeps depends on its history. Measured (session 23, {@code bench/model-latency}
     * with {@code -Dhearth.proxy.pass-log}): a warm ResNet-50 container whose thresholds had stayed low
     * gave ~20 MB back ({@code madvise(MADV_DONTNEED)} from the activation thread's arena) after every
     * pass and faulted ~5000 pages in the next, its forward pass 123 ms against 62 ms in a container that
     * did not, on a VM where a new page costs ~12 µs. No-op where {@code mallopt} is missing.
     *
     * <p>The trim threshold does not cover every case: a thread's arena grows in heaps of 64 MB, and when a
     * pass needs more than its first heap holds, glibc maps another and, as soon as that one is wholly free
     * again, unmaps it, whatever the threshold ({@code heap_trim} keeps a heap only while the padding it is
     * asked to keep, {@code M_TOP_PAD}, is more than the free space below it). Session 34 found warm
     * ResNet-50 containers doing that on their activation thread and libgomp's worker several times a pass
     * (strace: a 128 MB reservation, {@code mprotect} of 1–9 MB, then {@code munmap} of the 64 MB heap):
     * ~830 page faults and 7–10 ms of kernel time a call, 12 ms over {@code predict}, from the first calls
     * on in some containers and never in others (fragmentation decides). {@link #TOP_PAD} keeps the heap.
     */
    static void fixThresholds() {
        try {
            Function mallopt = NativeLibrary.getInstance("c").getFunction("mallopt");
            mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD});
            mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD});
            mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // not glibc: its allocator has its own policy
        }
    }

    /** Activity starts: a pending trim must not run under it. */
    synchronized void busy() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** Activity ended: trim once nothing else happened for {@code idleMs}. */
    synchronized void idle(long idleMs) {
        busy();
        pending = timer.schedule(this::trimNow, idleMs, TimeUnit.MILLISECONDS);
    }

    private void trimNow() {
        long t0 = System.nanoTime();
        trim.run();
        lastTrimMicros.set((System.nanoTime() - t0) / 1000);
        trims.incrementAndGet();
    }

    /** Trims done so far. */
    long trims() {
        return trims.get();
    }

    /** How long the last trim took, in microseconds (-1: none yet). */
    long lastTrimMicros() {
        return lastTrimMicros.get();
    }
}
