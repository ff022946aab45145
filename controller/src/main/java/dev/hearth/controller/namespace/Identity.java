package dev.hearth.controller.namespace;

import dev.hearth.controller.web.ApiException;
import java.util.UUID;

/** Who is calling: the namespace a valid key belongs to. */
public record Identity(String namespace, UUID uuid) {

    /** The caller's own namespace for {@code _} or its own name; 403 for any other namespace. */
    public String resolve(String pathNamespace) {
        if ("_".equals(pathNamespace) || namespace.equals(pathNamespace)) {
            return namespace;
        }
        throw new ApiException.Forbidden();
    }
}
