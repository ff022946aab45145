package dev.hearth.controller.namespace;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/namespaces}: the namespaces the caller's key may use (its own). */
@RestController
class NamespaceController {

    @GetMapping("/api/v1/namespaces")
    List<String> namespaces(Identity identity) {
        return List.of(identity.namespace());
    }
}
