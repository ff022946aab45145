package dev.hearth.controller.invoke;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.web.util.UriUtils;

/**
 * The invoke route, {@code POST /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}}, matched on the raw request
 * URI the way Spring MVC's pattern matched it before {@link InvokeEndpoint} took the route over: every
 * segment non-empty, no trailing slash, each segment percent-decoded on its own ({@code +} stays a plus,
 * {@code %2F} stays inside its segment). A URI with path parameters ({@code ;...}) or a broken escape is not
 * taken here: it goes on to Spring MVC, which answers it as before, like every other method and path.
 *
 * @param namespace the path's namespace ({@code _} for the caller's own)
 * @param pkg       the package, or {@code null}
 * @param name      the action's name
 */
record InvokeRoute(String namespace, String pkg, String name) {
    static final String PREFIX = "/api/v1/namespaces/";
    private static final String ACTIONS = "actions";

    /** The route {@code method} and {@code rawUri} ask for, or empty when they are not an invocation. */
    static Optional<InvokeRoute> match(String method, String rawUri) {
        if (!"POST".equals(method) || rawUri == null || !rawUri.startsWith(PREFIX) || rawUri.indexOf(';') >= 0) {
            return Optional.empty();
        }
        String[] parts = rawUri.substring(PREFIX.length()).split("/", -1);
        if (parts.length < 3 || parts.length > 4 || !ACTIONS.equals(parts[1])) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(
                    parts.length == 3
                            ? new InvokeRoute(decode(parts[0]), null, decode(parts[2]))
                            : new InvokeRoute(decode(parts[0]), decode(parts[2]), decode(parts[3])));
        } catch (IllegalArgumentException brokenEscape) {
            return Optional.empty();
        }
    }

    private static String decode(String segment) {
        return segment.indexOf('%') < 0 ? segment : UriUtils.decode(segment, StandardCharsets.UTF_8);
    }
}
