package dev.hearth.cli.api;

import dev.hearth.cli.CliException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * An entity name as users type it: {@code name}, {@code pkg/name}, {@code /ns/name} or
 * {@code /ns/pkg/name}. Without a leading slash the namespace is the configured default.
 *
 * @param namespace the namespace ({@code _} means the caller's own)
 * @param name the name inside the namespace, {@code pkg/name} for an action in a package
 */
public record EntityName(String namespace, String name) {

    public static EntityName parse(String raw, String defaultNamespace) {
        String text = raw == null ? "" : raw.strip();
        boolean qualified = text.startsWith("/");
        List<String> parts = Arrays.asList((qualified ? text.substring(1) : text).split("/", -1));
        boolean valid = parts.stream().noneMatch(String::isBlank)
                && (qualified ? parts.size() == 2 || parts.size() == 3 : parts.size() <= 2);
        if (!valid) {
            throw CliException.usage(
                    "'" + raw + "' is not a valid entity name; use NAME, PACKAGE/NAME or /NAMESPACE/[PACKAGE/]NAME");
        }
        return qualified
                ? new EntityName(parts.get(0), String.join("/", parts.subList(1, parts.size())))
                : new EntityName(defaultNamespace, text);
    }

    /** {@code /ns/name} as wsk prints it. */
    public String qualified() {
        return "/" + namespace + "/" + name;
    }

    /** The API path of this action: {@code /namespaces/{ns}/actions/{name}}, segments encoded. */
    public String actionPath() {
        return "/namespaces/" + segment(namespace) + "/actions/" + segments(name);
    }

    /** One URL path segment, percent-encoded. */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String segments(String path) {
        return String.join(
                "/", Arrays.stream(path.split("/")).map(EntityName::segment).toList());
    }
}
