package dev.hearth.cli.config;

import dev.hearth.cli.CliException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The resolved connection settings.
 *
 * @param apiHost scheme, host and port without a trailing slash, e.g. {@code http://localhost:3233}
 * @param auth {@code uuid:key}
 * @param namespace the default namespace ({@code _} is the caller's own)
 */
public record CliConfig(String apiHost, String auth, String namespace) {
    public static final String DEFAULT_NAMESPACE = "_";

    /**
     * Resolves settings with the precedence flag &gt; config file, and checks them.
     *
     * @param file the properties read from the config file
     * @param apihostFlag {@code --apihost}, or null
     * @param authFlag {@code --auth}, or null
     */
    public static CliConfig resolve(ConfigFile file, String apihostFlag, String authFlag) {
        String host = firstNonBlank(apihostFlag, file.get(ConfigFile.APIHOST));
        String auth = firstNonBlank(authFlag, file.get(ConfigFile.AUTH));
        String namespace = firstNonBlank(file.get(ConfigFile.NAMESPACE), DEFAULT_NAMESPACE);
        if (host == null) {
            throw CliException.usage(
                    "no API host configured: pass --apihost or run 'hearth property set --apihost localhost:3233'"
                            + " (config file " + file.path() + ")");
        }
        if (auth == null) {
            throw CliException.usage("no authorization key configured: pass --auth UUID:KEY or run"
                    + " 'hearth property set --auth UUID:KEY' (config file " + file.path() + ")");
        }
        if (auth.indexOf(':') <= 0) {
            throw CliException.usage("the authorization key must look like UUID:KEY, got '" + auth + "'");
        }
        return new CliConfig(normalizeApiHost(host), auth, namespace);
    }

    /** {@code localhost:3233} becomes {@code http://localhost:3233}; trailing slashes go. */
    public static String normalizeApiHost(String raw) {
        String host = raw.strip();
        if (!host.contains("://")) {
            host = "http://" + host;
        }
        while (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        try {
            URI uri = new URI(host);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw new URISyntaxException(host, "need http(s)://HOST[:PORT]");
            }
        } catch (URISyntaxException bad) {
            throw CliException.usage("'" + raw + "' is not a valid API host; use HOST:PORT or http(s)://HOST[:PORT]");
        }
        return host;
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first.strip();
        }
        return second != null && !second.isBlank() ? second.strip() : null;
    }
}
