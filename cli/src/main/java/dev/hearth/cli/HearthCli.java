package dev.hearth.cli;

import dev.hearth.cli.action.ActionCommand;
import dev.hearth.cli.activation.ActivationCommand;
import dev.hearth.cli.config.PropertyCommand;
import dev.hearth.cli.namespace.NamespaceCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hearth}, the root command. {@link #run} is the whole program with its outside world passed
 * in; {@link #main} wires it to the real process. Exit codes: 0 ok, 1 failure (server error,
 * unreachable host, failed activation), 2 usage error.
 */
@Command(
        name = "hearth",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = HearthCli.Version.class,
        description = "Hearth command line, compatible with the OpenWhisk REST API v1.",
        subcommands = {ActionCommand.class, ActivationCommand.class, NamespaceCommand.class, PropertyCommand.class})
public final class HearthCli {

    @Mixin
    private ConnectionOptions connection;

    private final CliEnvironment environment;

    public HearthCli(CliEnvironment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(CliEnvironment.system(), out, err, args));
    }

    /** Runs one command line and returns its exit code. */
    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new HearthCli(environment));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((failure, commandLine, parsed) -> {
            PrintWriter stderr = commandLine.getErr();
            int code;
            if (failure instanceof CliException known) {
                stderr.println("error: " + known.getMessage());
                code = known.exitCode();
            } else {
                stderr.println("error: " + failure);
                code = CliException.FAILURE;
            }
            stderr.flush();
            commandLine.getOut().flush();
            return code;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The root command object of the command line that {@code spec} belongs to. */
    public static HearthCli of(CommandSpec spec) {
        return (HearthCli) spec.root().userObject();
    }

    public CliEnvironment environment() {
        return environment;
    }

    /** The global options given before the subcommand. */
    public ConnectionOptions connection() {
        return connection;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = HearthCli.class.getPackage().getImplementationVersion();
            return new String[] {"hearth " + (version == null ? "dev" : version)};
        }
    }
}
