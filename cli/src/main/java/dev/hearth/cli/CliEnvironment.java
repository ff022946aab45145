package dev.hearth.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI takes from the process it runs in. {@link #system()} for real runs; tests build
 * their own with a temporary home, a fixed environment, a fixed clock and a sleeper that only
 * advances that clock.
 *
 * @param env environment variables (only {@code HEARTH_CONFIG} is read)
 * @param home the user's home directory ({@code ~/.hearth/config} lives under it)
 * @param clock wall clock, for {@code activation poll}
 * @param zone time zone in which activation start times are printed
 * @param sleeper how to wait between polls
 */
public record CliEnvironment(Map<String, String> env, Path home, Clock clock, ZoneId zone, Sleeper sleeper) {

    /** Waits; a seam so that tests of polling do not sleep for real. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public CliEnvironment {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(sleeper, "sleeper");
    }

    public static CliEnvironment system() {
        return new CliEnvironment(
                System.getenv(),
                Path.of(System.getProperty("user.home")),
                Clock.systemUTC(),
                ZoneId.systemDefault(),
                duration -> Thread.sleep(duration));
    }
}
