package dev.hearth.cli.action;

import dev.hearth.cli.ApiCommand;
import dev.hearth.cli.api.ApiClient;
import dev.hearth.cli.api.EntityName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code action delete NAME}: prints {@code ok: deleted action NAME}. */
@Command(name = "delete", description = "delete an action")
final class ActionDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        ApiClient api = api();
        EntityName entity = EntityName.parse(name, api.config().namespace());
        api.delete(entity.actionPath()).requireSuccess();
        out().println("ok: deleted action " + name);
        return 0;
    }
}
