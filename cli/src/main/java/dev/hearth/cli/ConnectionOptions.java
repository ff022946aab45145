package dev.hearth.cli;

import picocli.CommandLine.Option;

/**
 * The global options. Mixed into the root command and into every command that talks to the API,
 * so both {@code hearth -v action list} and {@code hearth action list -v} work; the command's own
 * values win over the root's.
 */
public class ConnectionOptions {
    @Option(
            names = "--apihost",
            paramLabel = "HOST",
            description = "API host, e.g. localhost:3233 or https://hearth.example.com (overrides APIHOST)")
    String apihost;

    @Option(
            names = {"-u", "--auth"},
            paramLabel = "UUID:KEY",
            description = "authorization key (overrides AUTH)")
    String auth;

    @Option(
            names = {"-v", "--verbose"},
            description = "print the HTTP requests and responses to stderr")
    boolean verbose;

    public String apihost() {
        return apihost;
    }

    public String auth() {
        return auth;
    }

    public boolean verbose() {
        return verbose;
    }

    /** These options, falling back to {@code outer} for anything not given here. */
    public ConnectionOptions over(ConnectionOptions outer) {
        ConnectionOptions merged = new ConnectionOptions();
        merged.apihost = apihost != null ? apihost : outer.apihost;
        merged.auth = auth != null ? auth : outer.auth;
        merged.verbose = verbose || outer.verbose;
        return merged;
    }
}
