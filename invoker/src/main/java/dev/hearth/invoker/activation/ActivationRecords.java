package dev.hearth.invoker.activation;

import dev.hearth.common.entity.Activation;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.entity.Slo;
import dev.hearth.common.id.FullyQualifiedName;
import dev.hearth.common.json.Json;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.ActivationMessage;
import dev.hearth.common.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.DoubleNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.LongNode;
import tools.jackson.databind.node.StringNode;

/**
 * Builds OpenWhisk's activation record and Hearth's metrics event from a message and its
 * {@link Outcome}. Annotations, in OpenWhisk's order: {@code path}, {@code waitTime}, {@code kind},
 * {@code timeout}, {@code limits}, {@code initTime} (cold start only), then Hearth's
 * {@code initBreakdown} (cold start only, see {@link ColdStartBreakdown}), {@code startKind} and
 * {@code inferenceTime} (ms, decimal, when the runtime reported one: model actions) and {@code cpuThreads}
 * (the threads {@code /run} asked for, when the invoker splits the cores) and {@code passWait} (ms a model's
 * forward pass waited for its turn at the {@link dev.hearth.invoker.cpu.PassGate}), then any
 * annotations the controller put on the message under other keys.
 */
final class ActivationRecords {
    private ActivationRecords() {}

    static Activation activation(ActivationMessage msg, Outcome o) {
        String path;
        String name;
        try {
            FullyQualifiedName fqn = FullyQualifiedName.parse(msg.action());
            path = fqn.path();
            name = fqn.name().value();
        } catch (IllegalArgumentException e) {
            path = msg.action();
            name = msg.action().substring(msg.action().lastIndexOf('/') + 1);
        }
        long start = o.start().toEpochMilli();
        long end = Math.max(start, o.end().toEpochMilli());
        List<KeyValue> annotations = new ArrayList<>();
        annotations.add(new KeyValue("path", StringNode.valueOf(path)));
        annotations.add(new KeyValue("waitTime", LongNode.valueOf(waitMs(msg, o))));
        annotations.add(new KeyValue("kind", StringNode.valueOf(msg.exec().kind())));
        annotations.add(new KeyValue("timeout", BooleanNode.valueOf(o.timedOut())));
        annotations.add(new KeyValue("limits", Json.mapper().valueToTree(msg.limits())));
        if (o.initMs() != null) {
            annotations.add(new KeyValue("initTime", LongNode.valueOf(o.initMs())));
        }
        if (o.initBreakdown() != null) {
            annotations.add(new KeyValue("initBreakdown", o.initBreakdown()));
        }
        if (!"none".equals(o.startKind())) {
            annotations.add(new KeyValue("startKind", StringNode.valueOf(o.startKind())));
        }
        if (o.inferenceMs() != null) {
            annotations.add(new KeyValue("inferenceTime", DoubleNode.valueOf(o.inferenceMs())));
        }
        if (o.cpuThreads() != null) {
            annotations.add(new KeyValue("cpuThreads", IntNode.valueOf(o.cpuThreads())));
        }
        if (o.passWaitMs() != null) {
            annotations.add(new KeyValue("passWait", LongNode.valueOf(o.passWaitMs())));
        }
        Set<String> ours = annotations.stream().map(KeyValue::key).collect(Collectors.toSet());
        msg.annotations().stream().filter(a -> !ours.contains(a.key())).forEach(annotations::add);
        return new Activation(
                msg.namespace(),
                name,
                msg.subject(),
                msg.activationId(),
                start,
                end,
                end - start,
                o.response(),
                o.logs(),
                msg.version(),
                false,
                annotations);
    }

    static ActivationEvent event(ActivationMessage msg, Outcome o, Activation a, int invoker) {
        return new ActivationEvent(
                Message.SCHEMA,
                msg.transactionId(),
                msg.activationId(),
                a.annotation("path").map(p -> p.asString()).orElse(msg.action()),
                msg.exec().kind(),
                msg.limits().memory(),
                invoker,
                msg.sentAt(),
                waitMs(msg, o),
                o.initMs() == null ? 0 : o.initMs(),
                a.duration(),
                o.response().statusCode(),
                o.startKind(),
                slo(msg));
    }

    /** The action's SLO; an annotation stored before the controller checked them counts as none. */
    private static Slo slo(ActivationMessage msg) {
        try {
            return Slo.fromAnnotations(msg.annotations());
        } catch (IllegalArgumentException e) {
            return Slo.DEFAULT;
        }
    }

    private static long waitMs(ActivationMessage msg, Outcome o) {
        return msg.sentAt() <= 0 ? 0 : Math.max(0, o.start().toEpochMilli() - msg.sentAt());
    }
}
