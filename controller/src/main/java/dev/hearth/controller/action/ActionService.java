package dev.hearth.controller.action;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.json.Json;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Creates, updates, reads and deletes actions with OpenWhisk's semantics: an update
 * ({@code overwrite=true}) keeps whatever the body leaves out and bumps the patch version; the
 * artifact is stored once by SHA-256.
 */
@Service
public class ActionService {
    static final String FIRST_VERSION = "0.0.1";
    private static final TypeReference<List<KeyValue>> KEY_VALUES = new TypeReference<>() {
    };

    private final ActionStore store;
    private final ActionCache cache;
    private final ExecKinds kinds;
    private final ActionLimitsPolicy limits;
    private final Clock clock;

    ActionService(ActionStore store, ActionCache cache, ExecKinds kinds, ControllerProperties properties, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.kinds = kinds;
        this.limits = new ActionLimitsPolicy(properties.limits());
        this.clock = clock;
    }

    /** The action, from the cache (the invoke path). */
    public ActionRecord cached(String namespace, ActionName name) {
        return cache.get(namespace, name.qualified(), () -> store.find(namespace, name.qualified()))
                .orElseThrow(ApiException.NotFound::new);
    }

    ActionRecord get(String namespace, ActionName name) {
        return store.find(namespace, name.qualified()).orElseThrow(ApiException.NotFound::new);
    }

    byte[] code(ActionRecord action) {
        return store.artifact(action.digest())
                .orElseThrow(() -> new IllegalStateException("artifact " + action.digest() + " is missing"));
    }

    List<ActionRecord> list(String namespace, int limit, int skip) {
        return store.list(namespace, limit, skip);
    }

    ActionRecord delete(String namespace, ActionName name) {
        ActionRecord action = get(namespace, name);
        if (!store.delete(namespace, name.qualified())) {
            throw new ApiException.NotFound();
        }
        cache.invalidate(namespace, name.qualified());
        return action;
    }

    /** PUT: create, or with {@code overwrite} update; returns the stored action. */
    ActionRecord put(String namespace, ActionName name, JsonNode body, boolean overwrite) {
        if (name.pkg() != null) {
            // Packages are not built yet, so no package exists to hold the action.
            throw new ApiException.NotFound("The requested resource '" + namespace + "/" + name.pkg()
                    + "' does not exist.");
        }
        if (body == null) {
            body = Json.object();
        }
        if (!body.isObject()) {
            throw ApiException.BadRequest.malformed("the action must be a JSON object");
        }
        Optional<ActionRecord> existing = store.find(namespace, name.qualified());
        if (existing.isPresent() && !overwrite) {
            throw new ApiException.Conflict(ApiException.CONFLICT);
        }
        ActionRecord old = existing.orElse(null);
        Exec exec = exec(body.get("exec"), old);
        List<KeyValue> parameters = keyValues(body, "parameters", old == null ? List.of() : old.parameters());
        List<KeyValue> annotations = withExecAnnotation(
                keyValues(body, "annotations", old == null ? List.of() : old.annotations()), exec.kind());
        ActionLimits actionLimits = limits.resolve(body.get("limits"), old == null ? null : old.limits());
        boolean publish = body.has("publish") && !body.get("publish").isNull()
                ? bool(body.get("publish"), "publish") : old != null && old.publish();
        String version = old == null ? FIRST_VERSION : nextPatch(old.version());
        if (exec.code() != null) {
            store.putArtifact(exec.digest(), exec.code());
        }
        ActionRecord action = new ActionRecord(namespace, name.qualified(), version, exec.kind(), exec.main(),
                exec.digest(), exec.binary(), parameters, annotations, actionLimits, publish, clock.millis());
        boolean stored = old == null ? store.insert(action) : store.update(action, old.version());
        if (!stored) {
            throw new ApiException.Conflict(old == null ? ApiException.CONFLICT
                    : "Concurrent modification to resource detected.");
        }
        cache.invalidate(namespace, name.qualified());
        return action;
    }

    /** The exec to store: from the body (validated, code decoded) or, when absent, the old one. */
    private record Exec(String kind, String main, boolean binary, String digest, byte[] code) {
    }

    private Exec exec(JsonNode exec, ActionRecord old) {
        if (exec == null || exec.isNull()) {
            if (old == null) {
                throw new ApiException.BadRequest("The request content was malformed:\n'exec' is required.");
            }
            return new Exec(old.kind(), old.main(), old.binary(), old.digest(), null);
        }
        if (!exec.isObject()) {
            throw ApiException.BadRequest.malformed("'exec' must be an object");
        }
        String kind = text(exec.get("kind"), "exec.kind");
        ExecKind execKind = kinds.get(kind);
        String main = text(exec.get("main"), "exec.main");
        boolean binary = exec.has("binary") && !exec.get("binary").isNull() && bool(exec.get("binary"), "exec.binary");
        String codeText = text(exec.get("code"), "exec.code");
        if (codeText == null || codeText.isEmpty()) {
            throw new ApiException.BadRequest("The request content was malformed:\n'exec.code' is required.");
        }
        byte[] code;
        if (binary) {
            try {
                code = Base64.getMimeDecoder().decode(codeText);
            } catch (IllegalArgumentException e) {
                throw new ApiException.BadRequest("'exec.code' is not valid base64: " + e.getMessage());
            }
        } else {
            code = codeText.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        execKind.validate(main, binary, code);
        return new Exec(kind, main, binary, sha256(code), code);
    }

    private static List<KeyValue> keyValues(JsonNode body, String field, List<KeyValue> old) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return old;
        }
        if (!node.isArray()) {
            throw ApiException.BadRequest.malformed("'" + field + "' must be an array of {\"key\", \"value\"}");
        }
        try {
            List<KeyValue> list = Json.mapper().convertValue(node, KEY_VALUES);
            if (list.contains(null)) {
                throw ApiException.BadRequest.malformed("'" + field + "' must not contain null");
            }
            return list;
        } catch (JacksonException | IllegalArgumentException e) {
            throw ApiException.BadRequest.malformed("'" + field + "' must be an array of {\"key\", \"value\"}: "
                    + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static List<KeyValue> withExecAnnotation(List<KeyValue> annotations, String kind) {
        List<KeyValue> out = new ArrayList<>(annotations.size() + 1);
        for (KeyValue a : annotations) {
            if (!a.key().equals("exec")) {
                out.add(a);
            }
        }
        out.add(new KeyValue("exec", StringNode.valueOf(kind)));
        return out;
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw ApiException.BadRequest.malformed("'" + field + "' must be a string");
        }
        return node.asString();
    }

    private static boolean bool(JsonNode node, String field) {
        if (!node.isBoolean()) {
            throw ApiException.BadRequest.malformed("'" + field + "' must be a boolean");
        }
        return node.booleanValue();
    }

    static String nextPatch(String version) {
        String[] parts = version.split("\\.");
        try {
            if (parts.length == 3) {
                return parts[0] + "." + parts[1] + "." + (Integer.parseInt(parts[2]) + 1);
            }
        } catch (NumberFormatException ignored) {
            // fall through: restart the numbering
        }
        return FIRST_VERSION;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
