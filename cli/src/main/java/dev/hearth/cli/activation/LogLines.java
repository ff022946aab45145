package dev.hearth.cli.activation;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OpenWhisk log lines: {@code 2024-01-01T00:00:00.000Z stdout: text}. */
final class LogLines {
    private static final Pattern LINE = Pattern.compile("^\\S+\\s+(?:stdout|stderr):\\s?(.*)$", Pattern.DOTALL);

    private LogLines() {}

    /** The text of a log line without its timestamp and stream; other lines unchanged. */
    static String strip(String line) {
        Matcher m = LINE.matcher(line);
        return m.matches() ? m.group(1) : line;
    }
}
