package dev.hearth.gateway.routing;

/**
 * Which requests the gateway forwards, and with which response timeout (pure, table-tested). Works on
 * the request target as it came on the wire: nothing is decoded.
 *
 * <ul>
 *   <li>{@code /api} and everything under it goes to a controller; anything else is the gateway's own
 *       ({@code /ping}, health, a 404).
 *   <li>{@code /api/v1/namespaces/{ns}/artifacts} (a model upload) waits for its answer up to the upload
 *       timeout, every other forwarded request up to the response timeout.
 *   <li>A body of known length up to {@link #WHOLE_MAX} is read whole before it is sent on, with its
 *       headers, in one write: a 164 KB invocation then costs the hop one write and the next process one
 *       wake-up, where its arriving pieces cost several of each; anything longer streams.
 * </ul>
 */
final class ApiPaths {
    /** The longest body sent on whole: OpenWhisk's default limit on an invocation's payload, 1 MiB. */
    static final long WHOLE_MAX = 1024 * 1024;

    private static final String API = "/api";
    private static final String NAMESPACES = "/api/v1/namespaces/";
    private static final String ARTIFACTS = "/artifacts";

    private ApiPaths() {}

    /**
     * The path and query of a request target: origin form ({@code /api/x?y}) as it is, the path of an
     * absolute form ({@code http://host/api/x?y}), {@code /} when the target has no path.
     */
    static String pathAndQuery(String target) {
        if (target.startsWith("/")) {
            return target;
        }
        int scheme = target.indexOf("://");
        int from = scheme < 0 ? 0 : scheme + 3;
        int slash = target.indexOf('/', from);
        int query = target.indexOf('?', from);
        if (slash >= 0 && (query < 0 || slash < query)) {
            return target.substring(slash);
        }
        return query < 0 ? "/" : "/" + target.substring(query);
    }

    /** The path of {@code pathAndQuery}, without its query. */
    static String path(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    /** Whether a request with this path goes to a controller. */
    static boolean isApi(String path) {
        return path.equals(API) || path.startsWith(API + "/");
    }

    /** Whether a body of {@code contentLength} bytes (-1: unknown) is read whole before it is sent on. */
    static boolean sendWhole(long contentLength) {
        return contentLength >= 0 && contentLength <= WHOLE_MAX;
    }

    /** Whether this path is an artifact upload ({@code /api/v1/namespaces/{ns}/artifacts}, one trailing slash allowed). */
    static boolean isUpload(String path) {
        if (!path.startsWith(NAMESPACES)) {
            return false;
        }
        String rest = path.endsWith("/")
                ? path.substring(NAMESPACES.length(), path.length() - 1)
                : path.substring(NAMESPACES.length());
        int slash = rest.indexOf('/');
        return slash > 0 && rest.substring(slash).equals(ARTIFACTS);
    }
}
