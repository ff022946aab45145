package dev.hearth.invoker.container;

import dev.hearth.common.json.Json;
import dev.hearth.common.json.RawJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body of {@code /run}: the parameters (the activation's content, copied in as the controller wrote
 * it) and OpenWhisk's activation context, and Hearth's
 * {@code cpu_threads}: the threads the activation should compute on ({@link dev.hearth.invoker.cpu.ThreadSplit};
 * a model's intra-op threads), left out when 0 (the runtime chooses).
 */
public record RunRequest(
        RawJson value,
        String namespace,
        String actionName,
        String activationId,
        String transactionId,
        long deadline,
        String apiKey,
        int cpuThreads) {

    public ObjectNode toJson() {
        ObjectNode root = Json.object();
        root.putPOJO("value", value == null ? RawJson.emptyObject() : value); // written as it came
        root.put("namespace", namespace);
        root.put("action_name", actionName);
        root.put("activation_id", activationId);
        root.put("transaction_id", transactionId);
        root.put("deadline", Long.toString(deadline));
        if (apiKey != null) {
            root.put("api_key", apiKey);
        }
        if (cpuThreads > 0) {
            root.put("cpu_threads", cpuThreads);
        }
        return root;
    }
}
