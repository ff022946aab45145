package dev.hearth.controller.activation;

import dev.hearth.common.id.ActivationId;
import dev.hearth.common.json.Json;
import dev.hearth.controller.action.ActionName;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.namespace.Identity;
import dev.hearth.controller.web.ApiException;
import dev.hearth.controller.web.ListQuery;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Activation queries: {@code /api/v1/namespaces/{ns}/activations} (filters {@code name},
 * {@code since}, {@code upto} on the start time in epoch ms; {@code limit}, {@code skip}; full records
 * with {@code docs=true}, else OpenWhisk's summaries), and one activation, its result and its logs.
 * Reads first wait for the records of blocking calls this controller has just answered
 * ({@link UnstoredActivations}).
 */
@RestController
@RequestMapping("/api/v1/namespaces/{ns}/activations")
class ActivationController {
    private final ActivationStore store;
    private final ControllerProperties properties;
    private final UnstoredActivations unstored;

    ActivationController(ActivationStore store, ControllerProperties properties, UnstoredActivations unstored) {
        this.store = store;
        this.properties = properties;
        this.unstored = unstored;
    }

    @GetMapping({"", "/"})
    List<JsonNode> list(
            Identity identity,
            @PathVariable String ns,
            @RequestParam(required = false) String name,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String skip,
            @RequestParam(required = false) String since,
            @RequestParam(required = false) String upto,
            @RequestParam(defaultValue = "false") String docs) {
        String namespace = identity.resolve(ns);
        ListQuery page = ListQuery.of("activations", limit, skip, properties.list());
        String nameFilter = null;
        if (name != null && !name.isBlank()) {
            try {
                nameFilter = ActionName.parse(name).qualified();
            } catch (ApiException e) {
                throw new ApiException.BadRequest(
                        "Parameter may be a 'simple' name or 'package-name/simple' name: " + name);
            }
        }
        unstored.awaitStored(namespace);
        List<JsonNode> records = store.list(
                new ActivationStore.Query(namespace, nameFilter, epoch(since), epoch(upto), page.limit(), page.skip()));
        return "true".equalsIgnoreCase(docs)
                ? records
                : records.stream().map(ActivationController::summary).toList();
    }

    @GetMapping("/{id}")
    JsonNode get(Identity identity, @PathVariable String ns, @PathVariable String id) {
        return find(identity, ns, id);
    }

    @GetMapping("/{id}/result")
    JsonNode result(Identity identity, @PathVariable String ns, @PathVariable String id) {
        JsonNode response = find(identity, ns, id).get("response");
        return response == null ? Json.object() : response;
    }

    @GetMapping("/{id}/logs")
    JsonNode logs(Identity identity, @PathVariable String ns, @PathVariable String id) {
        JsonNode logs = find(identity, ns, id).get("logs");
        ObjectNode out = Json.object();
        if (logs != null && logs.isArray()) {
            out.set("logs", logs);
        } else {
            out.putArray("logs");
        }
        return out;
    }

    private JsonNode find(Identity identity, String ns, String id) {
        String namespace = identity.resolve(ns);
        ActivationId activationId = ActivationId.parseOrNull(id);
        if (activationId == null) {
            throw new ApiException.BadRequest("The activation id is not valid.");
        }
        unstored.awaitStored(namespace);
        return store.find(namespace, activationId.value()).orElseThrow(ApiException.NotFound::new);
    }

    /** OpenWhisk's list entry: the record without response and logs, with the response's statusCode. */
    static JsonNode summary(JsonNode record) {
        if (!(record instanceof ObjectNode full)) {
            return record;
        }
        ObjectNode o = full.deepCopy();
        JsonNode response = o.remove("response");
        o.remove("logs");
        if (response != null && response.has("statusCode")) {
            o.set("statusCode", response.get("statusCode"));
        }
        return o;
    }

    private static Long epoch(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest("Parameter is not a valid value for epoch seconds: " + value);
        }
    }
}
