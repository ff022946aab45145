package dev.hearth.cli.config;

import dev.hearth.cli.HearthCli;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hearth property get|set}: reads and writes the config file. */
@Command(
        name = "property",
        description = "read and write the CLI's config file",
        subcommands = {PropertyCommand.Get.class, PropertyCommand.Set.class})
public final class PropertyCommand {

    static final String HOST_LABEL = "hearth API host";
    static final String AUTH_LABEL = "hearth auth";
    static final String NAMESPACE_LABEL = "hearth namespace";

    @Command(name = "get", description = "print properties (all when none is selected)")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--apihost", description = "print the API host")
        boolean apihost;

        @Option(
                names = {"-u", "--auth"},
                description = "print the authorization key")
        boolean auth;

        @Option(names = "--namespace", description = "print the default namespace")
        boolean namespace;

        @Option(names = "--all", description = "print all properties (the default)")
        boolean all;

        @Override
        public Integer call() {
            HearthCli root = HearthCli.of(spec);
            ConfigFile file = ConfigFile.load(ConfigFile.locate(root.environment()));
            boolean everything = all || !(apihost || auth || namespace);
            PrintWriter out = spec.commandLine().getOut();
            if (everything || apihost) {
                out.println(HOST_LABEL + "\t\t" + orEmpty(file.get(ConfigFile.APIHOST)));
            }
            if (everything || auth) {
                out.println(AUTH_LABEL + "\t\t" + orEmpty(file.get(ConfigFile.AUTH)));
            }
            if (everything || namespace) {
                String ns = file.get(ConfigFile.NAMESPACE);
                out.println(NAMESPACE_LABEL + "\t\t" + (ns == null ? CliConfig.DEFAULT_NAMESPACE : ns));
            }
            out.flush();
            return 0;
        }

        private static String orEmpty(String value) {
            return value == null ? "" : value;
        }
    }

    @Command(name = "set", description = "set properties in the config file")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--apihost", paramLabel = "HOST", description = "API host, e.g. localhost:3233")
        String apihost;

        @Option(
                names = {"-u", "--auth"},
                paramLabel = "UUID:KEY",
                description = "authorization key")
        String auth;

        @Option(names = "--namespace", paramLabel = "NS", description = "default namespace")
        String namespace;

        @Override
        public Integer call() {
            HearthCli root = HearthCli.of(spec);
            String host = apihost != null ? apihost : root.connection().apihost();
            String key = auth != null ? auth : root.connection().auth();
            if (host == null && key == null && namespace == null) {
                throw dev.hearth.cli.CliException.usage(
                        "nothing to set; give --apihost HOST, --auth UUID:KEY and/or --namespace NS");
            }
            ConfigFile file = ConfigFile.load(ConfigFile.locate(root.environment()));
            PrintWriter out = spec.commandLine().getOut();
            if (host != null) {
                CliConfig.normalizeApiHost(host); // reject garbage before writing it
                file.set(ConfigFile.APIHOST, host.strip());
            }
            if (key != null) {
                file.set(ConfigFile.AUTH, key.strip());
            }
            if (namespace != null) {
                file.set(ConfigFile.NAMESPACE, namespace.strip());
            }
            file.save();
            if (host != null) {
                out.println("ok: " + HOST_LABEL + " set to " + host.strip());
            }
            if (key != null) {
                out.println("ok: " + AUTH_LABEL + " set. Run 'hearth property get --auth' to see the new value.");
            }
            if (namespace != null) {
                out.println("ok: " + NAMESPACE_LABEL + " set to " + namespace.strip());
            }
            out.flush();
            return 0;
        }
    }
}
