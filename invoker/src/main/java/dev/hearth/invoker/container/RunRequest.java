package dev.hearth.invoker.container;

import dev.hearth.common.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The body of {@code /run}: the parameters and OpenWhisk's activation context. */
public record RunRequest(
        JsonNode value,
        String namespace,
        String actionName,
        String activationId,
        String transactionId,
        long deadline,
        String apiKey) {

    public ObjectNode toJson() {
        ObjectNode root = Json.object();
        root.set("value", value == null || value.isNull() ? Json.object() : value);
        root.put("namespace", namespace);
        root.put("action_name", actionName);
        root.put("activation_id", activationId);
        root.put("transaction_id", transactionId);
        root.put("deadline", Long.toString(deadline));
        if (apiKey != null) {
            root.put("api_key", apiKey);
        }
        return root;
    }
}
