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
        return sentAt(blocking("guest/a", kind, content), 1L);
    }

    /** A blocking {@code java} activation of {@code action} ({@code ns/name}) sent at {@code sentAt} (epoch ms). */
    public static ActivationMessage of(String action, long sentAt) {
        return sentAt(blocking(action, "java", RawJson.emptyObject()), sentAt);
    }

    /** {@code msg} as if its controller had sent it at {@code sentAt} (epoch ms). */
    public static ActivationMessage sentAt(ActivationMessage msg, long sentAt) {
        return new ActivationMessage(
                msg.schema(),
                msg.transactionId(),
                msg.activationId(),
                msg.namespace(),
                msg.subject(),
                msg.action(),
                msg.version(),
                msg.exec(),
                msg.limits(),
                msg.annotations(),
                msg.content(),
                msg.blocking(),
                msg.controller(),
                sentAt);
    }

    private static ActivationMessage blocking(String action, String kind, RawJson content) {
        return new ActivationMessage(
                Message.SCHEMA,
                "tx",
                "0".repeat(32),
                "guest",
                "guest",
                action,
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
