package dev.hearth.cli;

/**
 * A failure the CLI reports as {@code error: <message>} on stderr, exiting with {@link #exitCode()}:
 * 1 for failures of the server or the connection, 2 for usage errors.
 */
public class CliException extends RuntimeException {
    public static final int FAILURE = 1;
    public static final int USAGE = 2;

    private final int exitCode;

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A usage error: bad argument, bad configuration, unreadable file. Exit code 2. */
    public static CliException usage(String message) {
        return new CliException(message, USAGE);
    }

    public int exitCode() {
        return exitCode;
    }
}
