package dev.hearth.controller.action;

import dev.hearth.common.id.EntityName;
import dev.hearth.controller.web.ApiException;

/** An action's name inside its namespace: {@code name} or {@code pkg/name}, each segment a valid entity name. */
public record ActionName(String pkg, String name) {

    public ActionName {
        check(pkg);
        if (name == null) {
            throw new ApiException.BadRequest("The name of the entity is missing.");
        }
        check(name);
    }

    /** Parses {@code name} or {@code pkg/name}; 400 when it is not one. */
    public static ActionName parse(String text) {
        if (text == null) {
            throw new ApiException.BadRequest("The name of the entity is missing.");
        }
        int slash = text.indexOf('/');
        return slash < 0
                ? new ActionName(null, text)
                : new ActionName(text.substring(0, slash), text.substring(slash + 1));
    }

    private static void check(String segment) {
        if (segment != null) {
            try {
                new EntityName(segment);
            } catch (IllegalArgumentException e) {
                throw new ApiException.BadRequest(e.getMessage());
            }
        }
    }

    /** The stored name: {@code name} or {@code pkg/name}. */
    public String qualified() {
        return pkg == null ? name : pkg + "/" + name;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
