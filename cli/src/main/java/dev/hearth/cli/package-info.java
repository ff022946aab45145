/**
 * {@code hearth}, a wsk-like command line for the OpenWhisk-compatible REST API v1.
 *
 * <p>{@link dev.hearth.cli.HearthCli} is the root command; feature packages hold the subcommands
 * ({@code action}, {@code activation}, {@code namespace}, {@code config} for {@code property}).
 * {@link dev.hearth.cli.api.ApiClient} is the only class that speaks HTTP. Everything the process
 * would take from the outside world (environment, home directory, clock, time zone, sleeping) comes
 * in through {@link dev.hearth.cli.CliEnvironment}, so tests never touch the real ones.
 */
package dev.hearth.cli;
