package dev.hearth.cli.action;

import picocli.CommandLine.Command;

/** {@code hearth action ...}. */
@Command(
        name = "action",
        description = "work with actions",
        subcommands = {
            ActionPutCommand.Create.class,
            ActionPutCommand.Update.class,
            ActionGetCommand.class,
            ActionListCommand.class,
            ActionDeleteCommand.class,
            ActionInvokeCommand.class
        })
public final class ActionCommand {}
