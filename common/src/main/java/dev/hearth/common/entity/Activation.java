package dev.hearth.common.entity;

import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * An activation record in OpenWhisk's shape. {@code start} and {@code end} are epoch milliseconds,
 * {@code duration} is end minus start. Annotations carry {@code path}, {@code kind}, {@code limits},
 * {@code waitTime}, and {@code initTime} on a cold start (plus Hearth's own, such as
 * {@code startKind}).
 */
public record Activation(
        String namespace,
        String name,
        String subject,
        String activationId,
        long start,
        long end,
        long duration,
        ActivationResponse response,
        List<String> logs,
        String version,
        boolean publish,
        List<KeyValue> annotations) {

    public Activation {
        logs = logs == null ? List.of() : List.copyOf(logs);
        annotations = annotations == null ? List.of() : List.copyOf(annotations);
    }

    public Optional<JsonNode> annotation(String key) {
        return annotations.stream()
                .filter(a -> a.key().equals(key))
                .map(KeyValue::value)
                .findFirst();
    }
}
