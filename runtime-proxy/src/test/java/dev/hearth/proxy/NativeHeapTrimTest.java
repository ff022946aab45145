package dev.hearth.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Semaphore trimmed = new Semaphore(0);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    private NativeHeapTrim trim() {
        return new NativeHeapTrim(trimmed::release, timer);
    }

    /** The trim signals from inside the call; the counters move just after it returns. */
    private static void awaitCount(NativeHeapTrim trim, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (trim.trims() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void trimsOnceTheProxyStaysIdle() throws Exception {
        NativeHeapTrim trim = trim();
        trim.idle(20);
        assertThat(trimmed.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        awaitCount(trim, 1);
        assertThat(trim.trims()).isEqualTo(1);
        assertThat(trim.lastTrimMicros()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void activityCancelsAPendingTrim() throws Exception {
        NativeHeapTrim trim = trim();
        trim.idle(300);
        trim.busy();
        assertThat(trimmed.tryAcquire(800, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(trim.trims()).isZero();
        assertThat(trim.lastTrimMicros()).isEqualTo(-1);
    }

    @Test
    void backToBackActivitiesTrimOnceAfterTheLast() throws Exception {
        NativeHeapTrim trim = trim();
        for (int i = 0; i < 5; i++) {
            trim.busy();
            trim.idle(100);
        }
        assertThat(trimmed.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        assertThat(trimmed.tryAcquire(400, TimeUnit.MILLISECONDS)).isFalse();
        awaitCount(trim, 1);
        assertThat(trim.trims()).isEqualTo(1);
    }

    @Test
    void glibcTrimCanBeSwitchedOff() {
        assertThat(NativeHeapTrim.glibc("false")).isNull();
    }

    @Test
    void glibcTrimCallsMallocTrimOnThisMachine() throws Exception {
        NativeHeapTrim trim = NativeHeapTrim.glibc(null);
        assertThat(trim).as("glibc's malloc_trim through JNA").isNotNull();
        trim.idle(10);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (trim.trims() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(trim.trims()).isEqualTo(1);
    }

    @Test
    void withTheThresholdsFixedAFreedBlockIsReusedWithoutFaultingItsPagesAgain() throws Exception {
        NativeHeapTrim.fixThresholds();
        long[] faults = new long[2];
        Thread pass = new Thread(
                () -> { // like the activation thread: not the process's main thread
                    for (int round = 0; round < 2; round++) {
                        long before = minorFaults();
                        long size = 30L << 20; // above glibc's default mapping threshold, below the fixed one
                        long block = com.sun.jna.Native.malloc(size);
                        new com.sun.jna.Pointer(block).setMemory(0, size, (byte) 1);
                        com.sun.jna.Native.free(block);
                        faults[round] = minorFaults() - before;
                    }
                });
        pass.start();
        pass.join();
        assertThat(faults[0]).as("the first round touches new pages").isGreaterThan(5000);
        // glibc's own policy maps and unmaps the block (or shrinks the arena's top) and faults it again
        assertThat(faults[1]).as("the second round reuses them").isLessThan(500);
    }

    @Test
    void withTheThresholdsFixedAThreadArenasExtraHeapIsKeptOnceEmpty() throws Exception {
        NativeHeapTrim.fixThresholds();
        long[] faults = new long[3];
        Thread pass = new Thread(
                () -> { // a thread's own arena grows in 64 MB heaps
                    int blocks = 40;
                    long size = 3L << 20; // 120 MB in all: the arena needs a second heap
                    for (int round = 0; round < faults.length; round++) {
                        long before = minorFaults();
                        long[] block = new long[blocks];
                        for (int i = 0; i < blocks; i++) {
                            block[i] = com.sun.jna.Native.malloc(size);
                            new com.sun.jna.Pointer(block[i]).setMemory(0, size, (byte) 1);
                        }
                        for (long b : block) {
                            com.sun.jna.Native.free(b);
                        }
                        faults[round] = minorFaults() - before;
                    }
                });
        pass.start();
        pass.join();
        assertThat(faults[0]).as("the first round touches new pages").isGreaterThan(20_000);
        // without M_TOP_PAD glibc unmaps the emptied second heap, and each round faults ~14000 pages again
        assertThat(faults[1] + faults[2]).as("later rounds reuse them").isLessThan(2_000);
    }

    private static long minorFaults() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
