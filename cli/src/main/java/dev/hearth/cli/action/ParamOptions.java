package dev.hearth.cli.action;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code -p KEY VALUE} and {@code -P FILE}, shared by {@code action invoke}, {@code create} and {@code update}. */
final class ParamOptions {
    @Option(
            names = {"-p", "--param"},
            arity = "2",
            paramLabel = "KEY VALUE",
            hideParamSyntax = true,
            description = "parameter; VALUE is JSON if it parses, else a string")
    List<String> params;

    @Option(
            names = {"-P", "--param-file"},
            paramLabel = "FILE",
            description = "JSON object of parameters")
    Path paramFile;

    boolean given() {
        return params != null || paramFile != null;
    }

    /** As an invocation body: {@code {"key": value, ...}}. */
    JsonObject object() {
        return KeyValues.object(paramFile, params);
    }

    /** As an action's parameter list: {@code [{"key", "value"}, ...]}. */
    JsonArray array() {
        return KeyValues.array(paramFile, params);
    }
}
