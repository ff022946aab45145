package dev.hearth.cli;

import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.config.CliConfig;
import dev.hearth.cli.config.ConfigFile;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every command that talks to the API: brings the global options, resolves the
 * configuration and builds an {@link ApiClient}. Subclasses implement {@link #call()}.
 */
public abstract class ApiCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Mixin
    protected ConnectionOptions connection;

    protected HearthCli root() {
        return HearthCli.of(spec);
    }

    protected CliEnvironment environment() {
        return root().environment();
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Flags over the config file. */
    protected CliConfig config() {
        ConnectionOptions options = connection.over(root().connection());
        ConfigFile file = ConfigFile.load(ConfigFile.locate(environment()));
        return CliConfig.resolve(file, options.apihost(), options.auth());
    }

    protected ApiClient api() {
        boolean verbose = connection.over(root().connection()).verbose();
        return new ApiClient(config(), verbose ? err() : null);
    }
}
