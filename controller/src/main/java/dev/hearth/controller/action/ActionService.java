package dev.hearth.controller.action;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.KeyValue;
import dev.hearth.common.entity.Slo;
import dev.hearth.common.json.Json;
import dev.hearth.controller.artifact.ArtifactStore;
import dev.hearth.controller.artifact.Sha256;
import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.web.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Creates, updates, reads and deletes actions with OpenWhisk's semantics: an update
 * ({@code overwrite=true}) keeps whatever the body leaves out and bumps the patch version; the
 * artifact is stored once by SHA-256. The exec carries inline {@code code} (base64 when
 * {@code binary}) or, a Hearth extension, the {@code digest} of an artifact the namespace uploaded
 * (see the artifact package); an update without exec, or with the same digest, reuses the stored
 * artifact.
 */
@Service
public class ActionService {
    static final String FIRST_VERSION = "0.0.1";
    private static final TypeReference<List<KeyValue>> KEY_VALUES = new TypeReference<>() {};

    private final ActionStore store;
    private final ArtifactStore artifacts;
    private final ActionCache cache;
    private final ActionChanges changes;
    private final ExecKinds kinds;
    private final ActionLimitsPolicy limits;
    private final ControllerProperties.Limits limitsConfig;
    private final long inlineCodeMaxBytes;
    private final Clock clock;

    ActionService(
            ActionStore store,
            ArtifactStore artifacts,
            ActionCache cache,
            ActionChanges changes,
            ExecKinds kinds,
            ControllerProperties properties,
            Clock clock) {
        this.store = store;
        this.artifacts = artifacts;
        this.cache = cache;
        this.changes = changes;
        this.kinds = kinds;
        this.limits = new ActionLimitsPolicy(properties.limits());
        this.limitsConfig = properties.limits();
        this.inlineCodeMaxBytes = properties.artifactMaxBytes().toBytes();
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

    /** The action's code for a GET: null when the artifact is larger than {@code artifact-max-bytes}. */
    byte[] code(ActionRecord action) {
        if (action.size() > inlineCodeMaxBytes) {
            return null;
        }
        return artifacts
                .read(action.digest(), (in, size) -> in.readNBytes((int) size))
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
        changes.deleted(namespace, name.qualified(), clock.millis());
        return action;
    }

    /** PUT: create, or with {@code overwrite} update; returns the stored action. */
    ActionRecord put(String namespace, ActionName name, JsonNode body, boolean overwrite) {
        if (name.pkg() != null) {
            // Packages are not built yet, so no package exists to hold the action.
            throw new ApiException.NotFound(
                    "The requested resource '" + namespace + "/" + name.pkg() + "' does not exist.");
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
        Exec exec = exec(namespace, body.get("exec"), old);
        List<KeyValue> parameters = keyValues(body, "parameters", old == null ? List.of() : old.parameters());
        List<KeyValue> annotations = withExecAnnotation(
                keyValues(body, "annotations", old == null ? List.of() : old.annotations()), exec.kind());
        checkSlo(annotations);
        ActionLimits actionLimits = limits.resolve(
                body.get("limits"),
                old == null ? null : old.limits(),
                kinds.get(exec.kind()).memory(limitsConfig),
                exec.wantedMemory(),
                exec.kind());
        boolean publish = body.has("publish") && !body.get("publish").isNull()
                ? bool(body.get("publish"), "publish")
                : old != null && old.publish();
        String version = old == null ? FIRST_VERSION : nextPatch(old.version());
        if (exec.code() != null) {
            artifacts.put(exec.code(), exec.digest(), namespace);
        }
        ActionRecord action = new ActionRecord(
                namespace,
                name.qualified(),
                version,
                exec.kind(),
                exec.main(),
                exec.digest(),
                exec.size(),
                exec.binary(),
                parameters,
                annotations,
                actionLimits,
                publish,
                clock.millis());
        boolean stored = old == null ? store.insert(action) : store.update(action, old.version());
        if (!stored) {
            throw new ApiException.Conflict(
                    old == null ? ApiException.CONFLICT : "Concurrent modification to resource detected.");
        }
        cache.invalidate(namespace, name.qualified());
        if (old != null) {
            changes.updated(namespace, name.qualified(), version, clock.millis());
        }
        return action;
    }

    /**
     * The exec to store: from the body (validated; inline code decoded, or a stored artifact by
     * digest), or, when absent, the old one. {@code code} is set only for inline code not yet stored.
     */
    private record Exec(
            String kind,
            String main,
            boolean binary,
            String digest,
            long size,
            byte[] code,
            OptionalInt wantedMemory) {}

    private Exec exec(String namespace, JsonNode exec, ActionRecord old) {
        if (exec == null || exec.isNull()) {
            if (old == null) {
                throw new ApiException.BadRequest("The request content was malformed:\n'exec' is required.");
            }
            return new Exec(old.kind(), old.main(), old.binary(), old.digest(), old.size(), null, OptionalInt.empty());
        }
        if (!exec.isObject()) {
            throw ApiException.BadRequest.malformed("'exec' must be an object");
        }
        String kind = text(exec.get("kind"), "exec.kind");
        ExecKind execKind = kinds.get(kind);
        String main = text(exec.get("main"), "exec.main");
        String codeText = text(exec.get("code"), "exec.code");
        String digestText = text(exec.get("digest"), "exec.digest");
        boolean hasCode = codeText != null && !codeText.isEmpty();
        if (hasCode && digestText != null) {
            throw ApiException.BadRequest.malformed("'exec.code' and 'exec.digest' exclude each other");
        }
        if (digestText != null) {
            String digest = Sha256.parse(digestText, "exec.digest");
            long size = artifacts
                    .size(digest)
                    .filter(s -> artifacts.owns(namespace, digest)
                            || old != null && old.digest().equals(digest))
                    .orElseThrow(
                            () -> new ApiException.BadRequest("The artifact " + digest + " has not been uploaded."));
            // An artifact given by digest is binary, whatever the body says.
            OptionalInt wanted = execKind.validate(main, true, ArtifactContent.stored(artifacts, digest, size));
            return new Exec(kind, main, true, digest, size, null, wanted);
        }
        if (!hasCode) {
            throw new ApiException.BadRequest("The request content was malformed:\n'exec.code' is required.");
        }
        boolean binary = exec.has("binary") && !exec.get("binary").isNull() && bool(exec.get("binary"), "exec.binary");
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
        OptionalInt wanted = execKind.validate(main, binary, ArtifactContent.of(code));
        return new Exec(kind, main, binary, Sha256.of(code), code.length, code, wanted);
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

    /** An {@code slo} annotation the scheduler could not read is refused here, not ignored later. */
    private static void checkSlo(List<KeyValue> annotations) {
        try {
            Slo.fromAnnotations(annotations);
        } catch (IllegalArgumentException e) {
            throw ApiException.BadRequest.malformed(e.getMessage());
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
}
