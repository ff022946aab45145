package dev.hearth.cli.activation;

import picocli.CommandLine.Command;

/** {@code hearth activation ...}. */
@Command(
        name = "activation",
        description = "work with activations",
        subcommands = {
            ActivationListCommand.class,
            ActivationRecordCommands.Get.class,
            ActivationRecordCommands.Result.class,
            ActivationRecordCommands.Logs.class,
            ActivationPollCommand.class
        })
public final class ActivationCommand {}
