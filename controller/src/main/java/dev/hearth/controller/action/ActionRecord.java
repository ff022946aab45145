package dev.hearth.controller.action;

import dev.hearth.common.entity.ActionLimits;
import dev.hearth.common.entity.ExecRef;
import dev.hearth.common.entity.KeyValue;
import java.util.List;

/**
 * A stored action without its code. {@code name} is {@code name} or {@code pkg/name};
 * {@code digest} and {@code size} are the artifact's; {@code updated} is epoch milliseconds.
 */
public record ActionRecord(
        String namespace,
        String name,
        String version,
        String kind,
        String main,
        String digest,
        long size,
        boolean binary,
        List<KeyValue> parameters,
        List<KeyValue> annotations,
        ActionLimits limits,
        boolean publish,
        long updated) {

    public ActionRecord {
        parameters = List.copyOf(parameters);
        annotations = List.copyOf(annotations);
    }

    /** What an invoker needs to run it. */
    public ExecRef exec() {
        return new ExecRef(kind, main, digest);
    }

    /** OpenWhisk's {@code path}: {@code ns/name} or {@code ns/pkg/name}. */
    public String path() {
        return namespace + "/" + name;
    }
}
