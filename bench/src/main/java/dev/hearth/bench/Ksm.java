package dev.hearth.bench;

import dev.hearth.invoker.tensors.ProcessMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's same-page merging as {@code tensor-sharing} needs it for containers with
 * {@code tensors.merge-runtime}: running, scanning fast enough to settle within a benchmark, and a wait
 * until it has looked at every page.
 */
final class Ksm {
    private static final Path SYS = Path.of("/sys/kernel/mm/ksm");
    /** Pages ksmd scans per wake-up while the benchmark runs (the kernel's default is 100). */
    static final int PAGES_TO_SCAN = 1000;

    private static final long MAX_WAIT_MS = 300_000;

    private Ksm() {}

    /**
     * Whether KSM runs or can be started here; when it can, starts it with {@value #PAGES_TO_SCAN} pages
     * per wake-up, restored at exit. Prints why not otherwise.
     */
    static boolean usable() {
        try {
            String run = read("run");
            String pages = read("pages_to_scan");
            write("run", "1");
            write("pages_to_scan", Integer.toString(PAGES_TO_SCAN));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    write("pages_to_scan", pages);
                    write("run", run);
                } catch (IOException e) {
                    // leave it as it is
                }
            }));
            System.out.printf(
                    "KSM on for the merged-runtime column (%d pages per wake-up; was run=%s, %s pages)%n",
                    PAGES_TO_SCAN, run, pages);
            return true;
        } catch (IOException | RuntimeException e) {
            System.out.println("no merged-runtime column: KSM cannot be started here (" + e + ")");
            return false;
        }
    }

    /**
     * Waits until ksmd has finished three full scans since now (a page is merged on the scan after the
     * one that first saw it unchanged), at most 5 minutes. Prints the pages the containers merged.
     */
    static void awaitSettled(List<Long> pids) throws IOException, InterruptedException {
        long start = Long.parseLong(read("full_scans"));
        long deadline = System.currentTimeMillis() + MAX_WAIT_MS;
        while (Long.parseLong(read("full_scans")) < start + 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(1000);
        }
        long merged = 0;
        for (long pid : pids) {
            merged += ProcessMemory.mergedBytes(pid).orElse(0);
        }
        System.out.printf("  (%d containers: %d MiB in merged pages)%n", pids.size(), merged / 1048576);
    }

    private static String read(String name) throws IOException {
        return Files.readString(SYS.resolve(name)).trim();
    }

    private static void write(String name, String value) throws IOException {
        Files.writeString(SYS.resolve(name), value);
    }
}
