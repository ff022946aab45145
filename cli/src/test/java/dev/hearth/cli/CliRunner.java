package dev.hearth.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs {@link HearthCli#run} against a temporary home with {@code ~/.hearth/config} pointing at a
 * {@link FakeApi}, in UTC, with a clock that only the fake sleeper moves.
 */
public final class CliRunner {
    public static final String AUTH =
            "23bc46b1-71f6-4ed5-8c54-816aa4f8c502:123zO3xZCLrMN6v2BKK1dXYFpXlPkccOFqm12CdAsMgRU4VrNZ9lyGVCGuMDGIwP";

    /** What one run printed and returned. */
    public record Result(int exitCode, String out, String err) {}

    private final Path home;
    private final Map<String, String> env = new HashMap<>();
    private Instant now = Instant.parse("2024-01-01T12:00:00Z");
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    public CliRunner(Path home) {
        this.home = home;
    }

    /** A runner whose {@code ~/.hearth/config} points at {@code api} with {@link #AUTH}. */
    public static CliRunner against(Path home, FakeApi api) {
        CliRunner runner = new CliRunner(home);
        runner.writeConfig(home.resolve(".hearth/config"), "APIHOST=" + api.apiHost(), "AUTH=" + AUTH);
        return runner;
    }

    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public void writeConfig(Path file, String... lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, List.of(lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Instant now() {
        return now;
    }

    public List<Duration> sleeps() {
        return sleeps;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliEnvironment environment = new CliEnvironment(
                env,
                home,
                new Clock() {
                    @Override
                    public ZoneId getZone() {
                        return ZoneOffset.UTC;
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now;
                    }
                },
                ZoneOffset.UTC,
                duration -> {
                    sleeps.add(duration);
                    now = now.plus(duration);
                });
        int code = HearthCli.run(environment, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }
}
