package dev.hearth.controller.action;

import dev.hearth.controller.config.ControllerProperties;
import dev.hearth.controller.namespace.Identity;
import dev.hearth.controller.web.ListQuery;
import dev.hearth.controller.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Action CRUD: {@code /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}}. Invocation ({@code POST}) lives
 * in the invoke package.
 */
@RestController
@RequestMapping("/api/v1/namespaces/{ns}/actions")
class ActionController {
    private final ActionService actions;
    private final ControllerProperties properties;

    ActionController(ActionService actions, ControllerProperties properties) {
        this.actions = actions;
        this.properties = properties;
    }

    @GetMapping({"", "/"})
    List<ObjectNode> list(
            Identity identity,
            @PathVariable String ns,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String skip) {
        ListQuery page = ListQuery.of("actions", limit, skip, properties.list());
        return actions.list(identity.resolve(ns), page.limit(), page.skip()).stream()
                .map(a -> ActionJson.of(a, null))
                .toList();
    }

    @GetMapping({"/{name}", "/{pkg}/{name}"})
    ObjectNode get(
            Identity identity,
            @PathVariable String ns,
            @PathVariable(required = false) String pkg,
            @PathVariable String name,
            @RequestParam(defaultValue = "true") String code) {
        ActionRecord action = actions.get(identity.resolve(ns), new ActionName(pkg, name));
        return ActionJson.of(action, "false".equalsIgnoreCase(code) ? null : actions.code(action));
    }

    @PutMapping({"/{name}", "/{pkg}/{name}"})
    ObjectNode put(
            Identity identity,
            @PathVariable String ns,
            @PathVariable(required = false) String pkg,
            @PathVariable String name,
            @RequestParam(defaultValue = "false") String overwrite,
            HttpServletRequest request) {
        String namespace = identity.resolve(ns);
        ActionName actionName = new ActionName(pkg, name);
        var body = RequestBodies.readJson(request, properties.artifactMaxBytes().toBytes());
        ActionRecord action = actions.put(namespace, actionName, body, "true".equalsIgnoreCase(overwrite));
        return ActionJson.of(action, null);
    }

    @DeleteMapping({"/{name}", "/{pkg}/{name}"})
    ObjectNode delete(
            Identity identity,
            @PathVariable String ns,
            @PathVariable(required = false) String pkg,
            @PathVariable String name) {
        return ActionJson.of(actions.delete(identity.resolve(ns), new ActionName(pkg, name)), null);
    }
}
