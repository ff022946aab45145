package dev.hearth.common.message;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.RawJson;
import java.util.List;

/**
 * Controller → invoker: run this action once. {@code content} is the action's default parameters
 * merged under the invocation's parameters. {@code action} is the fully qualified path
 * ({@code ns/name}); {@code namespace} is the namespace the activation is recorded in;
 * {@code controller} is the index whose {@code completed} topic gets the completion. The content
 * travels as the controller wrote it ({@link RawJson}): nothing between the controller and the
 * container parses it.
 */
public record ActivationMessage(
        int schema,
        String transactionId,
        String activationId,
        String namespace,
        String subject,
        String action,
        String version,
        ExecRef exec,
        ActionLimits limits,
        List<KeyValue> annotations,
        RawJson content,
        boolean blocking,
        int controller,
        long sentAt)
        implements Message {

    public ActivationMessage {
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
        content = content == null ? RawJson.emptyObject() : content;
        if (exec == null || limits == null || action == null || activationId == null) {
            throw new IllegalArgumentException("an activation message needs an action, exec, limits and id");
        }
    }
}
