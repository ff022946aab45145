package dev.hearth.scheduler.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Placeholder until the charts are written. */
final class SvgCharts {
    private SvgCharts() {}

    static void writeAll(List<RunResult> results, Path out) throws IOException {
        Files.createDirectories(out);
    }
}
