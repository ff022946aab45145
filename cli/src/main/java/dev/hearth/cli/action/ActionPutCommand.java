package dev.hearth.cli.action;

import com.google.gson.JsonObject;
import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.CliException;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code action create} and {@code action update}: {@code PUT /namespaces/{ns}/actions/{name}},
 * with {@code ?overwrite=true} for update. Prints {@code ok: created action NAME} or
 * {@code ok: updated action NAME}.
 */
abstract class ActionPutCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "name, pkg/name or /ns/name")
    String name;

    @Option(names = "--kind", paramLabel = "KIND", description = "java (default for .jar), djl:pytorch, ...")
    String kind;

    @Option(
            names = {"-m", "--main"},
            paramLabel = "CLASS",
            description = "main class of a Java action")
    String main;

    @Option(names = "--memory", paramLabel = "MB", description = "memory limit in MB")
    Integer memory;

    @Option(
            names = {"-t", "--timeout"},
            paramLabel = "MS",
            description = "timeout in milliseconds")
    Integer timeout;

    @Option(
            names = {"-l", "--logsize"},
            paramLabel = "MB",
            description = "log size limit in MB")
    Integer logsize;

    @Mixin
    ParamOptions parameters = new ParamOptions();

    @Option(
            names = {"-a", "--annotation"},
            arity = "2",
            paramLabel = "KEY VALUE",
            hideParamSyntax = true,
            description = "annotation; VALUE is JSON if it parses, else a string")
    List<String> annotations;

    @Option(
            names = {"-A", "--annotation-file"},
            paramLabel = "FILE",
            description = "JSON object of annotations")
    Path annotationFile;

    abstract Path artifact();

    abstract boolean overwrite();

    @Override
    public Integer call() {
        Path artifact = artifact();
        if (artifact != null && !Files.isRegularFile(artifact)) {
            throw CliException.usage("artifact " + artifact + " does not exist or is not a file");
        }
        ApiClient api = api();
        EntityName entity = EntityName.parse(name, api.config().namespace());
        boolean create = !overwrite();
        String digest = null;
        if (artifact != null && size(artifact) > ActionBody.INLINE_MAX_BYTES) {
            digest = Sha256.of(artifact);
            api.upload(entity.namespace(), artifact, digest).requireSuccess();
        }
        JsonObject body = ActionBody.build(
                artifact,
                digest,
                kind,
                main,
                create || parameters.given() ? parameters.array() : null,
                create || annotations != null || annotationFile != null
                        ? KeyValues.array(annotationFile, annotations)
                        : null,
                new ActionBody.Limits(timeout, memory, logsize));
        Map<String, ?> query = overwrite() ? Map.of("overwrite", "true") : Map.of();
        api.send("PUT", entity.actionPath(), query, body).requireSuccess();
        out().println("ok: " + (overwrite() ? "updated" : "created") + " action " + name);
        return 0;
    }

    private static long size(Path artifact) {
        try {
            return Files.size(artifact);
        } catch (java.io.IOException e) {
            throw CliException.usage("cannot read artifact " + artifact + ": " + e.getMessage());
        }
    }

    @Command(name = "create", description = "create an action from a jar or model bundle")
    static final class Create extends ActionPutCommand {
        @Parameters(index = "1", paramLabel = "ARTIFACT", description = "a .jar, or a .zip with --kind")
        Path artifact;

        @Override
        Path artifact() {
            return artifact;
        }

        @Override
        boolean overwrite() {
            return false;
        }
    }

    @Command(name = "update", description = "update an action (or create it); ARTIFACT is optional")
    static final class Update extends ActionPutCommand {
        @Parameters(index = "1", arity = "0..1", paramLabel = "ARTIFACT", description = "new code, if any")
        Path artifact;

        @Override
        Path artifact() {
            return artifact;
        }

        @Override
        boolean overwrite() {
            return true;
        }
    }
}
