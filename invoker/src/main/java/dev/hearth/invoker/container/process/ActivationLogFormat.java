package dev.hearth.invoker.container.process;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns an activation's stdout and stderr lines into OpenWhisk's log list: each line as
 * {@code 2026-11-22T06:00:00.123456Z stdout: text}, both streams merged in time order, and at most
 * {@code limitBytes} of formatted lines (UTF-8, one newline each); past the limit the list ends with
 * OpenWhisk's line {@code Logs were truncated because the total bytes size exceeds the limit of N bytes.}
 */
public final class ActivationLogFormat {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private ActivationLogFormat() {}

    public static List<String> format(LogStream.Segment out, LogStream.Segment err, long limitBytes) {
        List<LogLine> merged = new ArrayList<>(out.lines().size() + err.lines().size());
        merged.addAll(out.lines());
        merged.addAll(err.lines());
        merged.sort(Comparator.comparing(LogLine::at)); // stable: stdout first on a tie
        List<String> logs = new ArrayList<>(merged.size() + 1);
        long total = 0;
        boolean truncated = out.truncated() || err.truncated();
        for (LogLine line : merged) {
            String formatted = TIME.format(line.at()) + " " + line.stream() + ": " + line.text();
            long bytes = formatted.getBytes(StandardCharsets.UTF_8).length + 1L;
            if (total + bytes > limitBytes) {
                truncated = true;
                break;
            }
            total += bytes;
            logs.add(formatted);
        }
        if (truncated) {
            logs.add("Logs were truncated because the total bytes size exceeds the limit of " + limitBytes + " bytes.");
        }
        return logs;
    }
}
