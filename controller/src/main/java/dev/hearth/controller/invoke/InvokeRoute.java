package dev.hearth.controller.invoke;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.util.UriUtils;

/**
 * The invoke route, {@code POST /api/v1/namespaces/{ns}/actions[/{pkg}]/{name}}, matched on the raw request
 * URI the way Spring MVC's pattern matched it before {@link InvokeEndpoint} took the route over: every
 * segment non-empty, no trailing slash, each segment percent-decoded on its own ({@code +} stays a plus,
 * {@code %2F} stays inside its segment). A URI with path parameters ({@code ;...}) or a broken escape is not
 * taken here: it goes on to Spring MVC, which answers it as before, like every other method and path.
 *
 * <p>The query ({@code blocking}, {@code result}, {@code timeout}) is read from the query string alone
 * ({@link #query}): the servlet's {@code getParameter} would also parse a body sent as
 * {@code application/x-www-form-urlencoded} (what {@code curl -d} sends by default) and leave the action
 * nothing of it, where OpenWhisk reads an invocation's body as JSON whatever its declared type.
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

    /**
     * The parameters of a raw query string ({@code null} for none), each name's first value, {@code +} and
     * escapes decoded; a pair with a broken escape is skipped, as the servlet container skips it.
     */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                values.putIfAbsent(name, value);
            } catch (IllegalArgumentException brokenEscape) {
                // skipped
            }
        }
        return values;
    }

    private static String decode(String segment) {
        return segment.indexOf('%') < 0 ? segment : UriUtils.decode(segment, StandardCharsets.UTF_8);
    }
}
