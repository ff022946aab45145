package dev.hearth.controller.action;

import dev.hearth.controller.web.ApiException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The registry of supported kinds: every {@link ExecKind} bean, by name. */
@Component
class ExecKinds {
    private final Map<String, ExecKind> kinds = new TreeMap<>();

    ExecKinds(List<ExecKind> kinds) {
        for (ExecKind k : kinds) {
            if (this.kinds.putIfAbsent(k.name(), k) != null) {
                throw new IllegalStateException("two exec kinds named " + k.name());
            }
        }
    }

    ExecKind get(String kind) {
        ExecKind k = kind == null ? null : kinds.get(kind);
        if (k == null) {
            throw new ApiException.BadRequest(
                    "kind '" + kind + "' is not supported; supported kinds: " + String.join(", ", kinds.keySet()));
        }
        return k;
    }
}
