package dev.hearth.cli.namespace;

import com.google.gson.JsonElement;
import dev.hearth.cli.ApiCommand;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code hearth namespace ...}. */
@Command(
        name = "namespace",
        description = "work with namespaces",
        subcommands = {NamespaceCommand.ListNamespaces.class})
public final class NamespaceCommand {

    /** {@code namespace list}: {@code GET /namespaces}, printed as wsk: {@code namespaces}, then one per line. */
    @Command(name = "list", description = "list the namespaces of this key")
    static final class ListNamespaces extends ApiCommand {
        @Override
        public Integer call() {
            JsonElement list =
                    api().get("/namespaces", Map.of()).requireSuccess().json();
            out().println("namespaces");
            if (list.isJsonArray()) {
                for (JsonElement ns : list.getAsJsonArray()) {
                    out().println(ns.isJsonPrimitive() ? ns.getAsString() : ns.toString());
                }
            }
            return 0;
        }
    }
}
