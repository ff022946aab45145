package dev.hearth.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * All settings of the gateway, under {@code hearth.gateway}. Defaults live in the
 * {@link DefaultValue} annotations here and nowhere else; the constructors reject bad values with a
 * message naming the key and the value, which fails start-up.
 *
 * @param controllers     base URIs of the controllers ({@code http(s)://host:port[/prefix]}), used
 *                        round-robin
 * @param responseTimeout how long to wait for a controller's response headers; blocking invocations
 *                        wait up to 60 s at the controller, so keep this above that
 * @param connectTimeout  how long to wait for a TCP connection to one controller before trying the
 *                        next
 * @param circuitBreaker  the breaker around the route to the controllers
 * @param uploadTimeout   the response timeout for artifact uploads ({@code /namespaces/{ns}/artifacts}):
 *                        the controller answers once the whole body is in, and a model of several GB
 *                        takes minutes to send
 */
@ConfigurationProperties(GatewayProperties.PREFIX)
public record GatewayProperties(
        @DefaultValue("http://127.0.0.1:3234") List<URI> controllers,
        @DefaultValue("75s") Duration responseTimeout,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue CircuitBreaker circuitBreaker,
        @DefaultValue("30m") Duration uploadTimeout) {

    public static final String PREFIX = "hearth.gateway";

    public GatewayProperties {
        if (controllers == null || controllers.isEmpty()) {
            throw new IllegalArgumentException(
                    PREFIX + ".controllers must name at least one controller, was " + controllers);
        }
        for (int i = 0; i < controllers.size(); i++) {
            requireControllerUri(PREFIX + ".controllers[" + i + "]", controllers.get(i));
        }
        controllers = List.copyOf(controllers);
        requirePositive(PREFIX + ".response-timeout", responseTimeout);
        requirePositive(PREFIX + ".connect-timeout", connectTimeout);
        requirePositive(PREFIX + ".upload-timeout", uploadTimeout);
        if (connectTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(PREFIX + ".connect-timeout is too large, was " + connectTimeout);
        }
        if (circuitBreaker == null) {
            throw new IllegalArgumentException(PREFIX + ".circuit-breaker must be set, was null");
        }
    }

    /**
     * The circuit breaker around the controller route: a count-based sliding window of the last
     * {@code slidingWindowSize} calls; it opens when at least {@code minimumNumberOfCalls} were
     * recorded and {@code failureRateThreshold} percent of them failed (no connection, timeout), stays
     * open for {@code waitInOpenState}, then lets {@code permittedCallsInHalfOpenState} calls probe.
     * Controller responses of any HTTP status are successes.
     */
    public record CircuitBreaker(
            @DefaultValue("50") float failureRateThreshold,
            @DefaultValue("20") int slidingWindowSize,
            @DefaultValue("10") int minimumNumberOfCalls,
            @DefaultValue("10s") Duration waitInOpenState,
            @DefaultValue("3") int permittedCallsInHalfOpenState) {

        private static final String KEY = PREFIX + ".circuit-breaker.";

        public CircuitBreaker {
            if (!(failureRateThreshold > 0 && failureRateThreshold <= 100)) {
                throw new IllegalArgumentException(
                        KEY + "failure-rate-threshold must be in (0, 100], was " + failureRateThreshold);
            }
            if (slidingWindowSize < 1) {
                throw new IllegalArgumentException(KEY + "sliding-window-size must be >= 1, was " + slidingWindowSize);
            }
            if (minimumNumberOfCalls < 1) {
                throw new IllegalArgumentException(
                        KEY + "minimum-number-of-calls must be >= 1, was " + minimumNumberOfCalls);
            }
            requirePositive(KEY + "wait-in-open-state", waitInOpenState);
            if (permittedCallsInHalfOpenState < 1) {
                throw new IllegalArgumentException(
                        KEY + "permitted-calls-in-half-open-state must be >= 1, was " + permittedCallsInHalfOpenState);
            }
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + value);
        }
    }

    private static void requireControllerUri(String key, URI uri) {
        boolean ok = uri != null
                && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                && uri.getHost() != null
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null
                && uri.getRawUserInfo() == null;
        if (!ok) {
            throw new IllegalArgumentException(
                    key + " must be an absolute http(s) URI with a host and no user info, query or fragment, was '"
                            + uri + "'");
        }
    }
}
