package dev.hearth.testsupport;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.json.RawJson;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.Message;
import java.util.List;

/** Activation messages for tests and benchmarks that only need a valid one. */
public final class SampleActivations {
    private SampleActivations() {}

    /** A blocking activation of {@code guest/a}, of {@code kind} (code or bundle digest {@code ab…}), with {@code content}. */
    public static ActivationMessage blocking(String kind, RawJson content) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx",
                "0".repeat(32),
                "guest",
                "guest",
                "guest/a",
                "0.0.1",
                new ExecRef(kind, kind.equals("java") ? "a.B" : null, "ab".repeat(32)),
                ActionLimits.DEFAULT,
                List.of(),
                content,
                true,
                0,
                1L);
    }
}
