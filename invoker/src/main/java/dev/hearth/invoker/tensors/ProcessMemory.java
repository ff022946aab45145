package dev.hearth.invoker.tensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process's memory from {@code /proc/<pid>/smaps_rollup} (Linux), in bytes: resident, proportional
 * (each shared page divided among the processes mapping it: summing PSS over processes counts a shared
 * tensor once), shared and private pages, and proportional shared-memory pages ({@code Pss_Shmem}:
 * the tensor store's share, since the store lives on tmpfs).
 */
public record ProcessMemory(long rss, long pss, long pssShmem, long shared, long privateBytes) {

    public static Optional<ProcessMemory> of(long pid) {
        return parse(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
    }

    static Optional<ProcessMemory> parse(Path smapsRollup) {
        String text;
        try {
            text = Files.readString(smapsRollup);
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
        long rss = 0, pss = 0, pssShmem = 0, shared = 0, priv = 0;
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].endsWith(":")) {
                continue;
            }
            long bytes;
            try {
                bytes = Long.parseLong(f[1]) * 1024;
            } catch (NumberFormatException e) {
                continue;
            }
            switch (f[0]) {
                case "Rss:" -> rss = bytes;
                case "Pss:" -> pss = bytes;
                case "Pss_Shmem:" -> pssShmem = bytes;
                case "Shared_Clean:", "Shared_Dirty:" -> shared += bytes;
                case "Private_Clean:", "Private_Dirty:" -> priv += bytes;
                default -> {}
            }
        }
        return Optional.of(new ProcessMemory(rss, pss, pssShmem, shared, priv));
    }

    /**
     * The bytes of a process's pages the kernel's same-page merging (KSM) currently shares with others
     * ({@code ksm_merging_pages} of {@code /proc/<pid>/ksm_stat}, Linux 6.1+); empty when not reported.
     */
    public static OptionalLong mergedBytes(long pid) {
        return parseMerged(Path.of("/proc", Long.toString(pid), "ksm_stat"));
    }

    static OptionalLong parseMerged(Path ksmStat) {
        try {
            for (String line : Files.readAllLines(ksmStat)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && f[0].equals("ksm_merging_pages")) {
                    return OptionalLong.of(Long.parseLong(f[1]) * PAGE_BYTES);
                }
            }
        } catch (IOException | SecurityException | NumberFormatException e) {
            // not reported
        }
        return OptionalLong.empty();
    }

    /** KSM merges base pages. */
    static final long PAGE_BYTES = 4096;
}
