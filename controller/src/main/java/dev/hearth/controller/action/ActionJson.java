package dev.hearth.controller.action;

import dev.hearth.common.json.Json;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenWhisk's action JSON: {@code namespace} (with the package, {@code ns/pkg}, for a packaged
 * action), {@code name}, {@code version}, {@code publish}, {@code exec {kind, main, binary, code}},
 * {@code annotations}, {@code parameters}, {@code limits}, {@code updated}. Hearth adds
 * {@code exec.digest} (SHA-256 of the artifact) and {@code exec.size} (its bytes), always; clients
 * that do not know them ignore them.
 */
final class ActionJson {
    private ActionJson() {}

    /** The full document; {@code code} null leaves exec.code out (a list, {@code code=false}, a large artifact). */
    static ObjectNode of(ActionRecord a, byte[] code) {
        ObjectNode o = Json.object();
        int slash = a.name().indexOf('/');
        o.put(
                "namespace",
                slash < 0 ? a.namespace() : a.namespace() + "/" + a.name().substring(0, slash));
        o.put("name", slash < 0 ? a.name() : a.name().substring(slash + 1));
        o.put("version", a.version());
        o.put("publish", a.publish());
        ObjectNode exec = o.putObject("exec");
        exec.put("kind", a.kind());
        if (a.main() != null) {
            exec.put("main", a.main());
        }
        exec.put("binary", a.binary());
        exec.put("digest", a.digest());
        exec.put("size", a.size());
        if (code != null) {
            exec.put(
                    "code",
                    a.binary()
                            ? Base64.getEncoder().encodeToString(code)
                            : new String(code, java.nio.charset.StandardCharsets.UTF_8));
        }
        o.set("annotations", Json.mapper().valueToTree(a.annotations()));
        o.set("parameters", Json.mapper().valueToTree(a.parameters()));
        o.set("limits", Json.mapper().valueToTree(a.limits()));
        o.put("updated", a.updated());
        return o;
    }
}
