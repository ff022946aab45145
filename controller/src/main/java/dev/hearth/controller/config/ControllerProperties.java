package dev.hearth.controller.config;

import dev.hearth.common.id.EntityName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * All settings of the controller, under {@code hearth.controller}. Defaults live in the
 * {@link DefaultValue} annotations here and nowhere else; the constructors reject bad values with a
 * message naming the key and the value, which fails start-up.
 *
 * @param instance             this controller's index C: it consumes {@code completed{C}}
 * @param controllers          how many controllers share the invokers; each invoker's user memory is
 *                             divided by it into this controller's slots
 * @param kafka                the Kafka connection (used unless a launcher supplies a messaging port)
 * @param limits               allowed ranges and defaults of action limits
 * @param payloadMaxBytes      largest invocation body
 * @param artifactMaxBytes     largest action PUT body (the base64 artifact is inside it); also the
 *                             largest artifact whose code a GET of the action inlines
 * @param artifactUploadMaxBytes largest artifact streamed to {@code POST .../artifacts}
 * @param artifactUploadConcurrency how many streaming uploads may run at once (each holds a database
 *                             connection while the client sends); more get 503
 * @param djlCacheDir          DJL's native-library cache ({@code DJL_CACHE_DIR}) for validating model
 *                             bundles; default {@code ${java.io.tmpdir}/hearth-djl}
 * @param maxBlockingWait      longest a blocking invocation waits for its result before answering 202
 * @param list                 default and maximum {@code limit} of list queries
 * @param throttles            per-namespace invocation throttles
 * @param invokerHealthTimeout an invoker that has not pinged for this long is out of rotation
 * @param completionGrace      a slot whose completion never came is released this long after the
 *                             action's timeout
 * @param guest                the {@code guest} namespace made on start
 * @param namespaces           further namespaces made on start when missing: name to {@code uuid:key}
 * @param direct               the direct path of blocking activations to invokers that advertise one
 */
@ConfigurationProperties(ControllerProperties.PREFIX)
public record ControllerProperties(
        @DefaultValue("0") int instance,
        @DefaultValue("1") int controllers,
        @DefaultValue Kafka kafka,
        @DefaultValue Limits limits,
        @DefaultValue("1MB") DataSize payloadMaxBytes,
        @DefaultValue("48MB") DataSize artifactMaxBytes,
        @DefaultValue("4GB") DataSize artifactUploadMaxBytes,
        @DefaultValue("4") int artifactUploadConcurrency,
        Path djlCacheDir,
        @DefaultValue("60s") Duration maxBlockingWait,
        @DefaultValue ListLimits list,
        @DefaultValue Throttles throttles,
        @DefaultValue("10s") Duration invokerHealthTimeout,
        @DefaultValue("60s") Duration completionGrace,
        @DefaultValue Guest guest,
        Map<String, String> namespaces,
        @DefaultValue Direct direct) {

    public static final String PREFIX = "hearth.controller";
    static final String AUTH_FORM = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:.+";

    public ControllerProperties {
        require(instance >= 0, "instance", instance, "must be >= 0");
        require(controllers >= 1, "controllers", controllers, "must be >= 1");
        require(instance < controllers, "instance", instance, "must be below controllers (" + controllers + ")");
        requireNotNull("kafka", kafka);
        requireNotNull("limits", limits);
        requireNotNull("list", list);
        requireNotNull("throttles", throttles);
        requireNotNull("guest", guest);
        requireNotNull("direct", direct);
        namespaces = namespaces == null ? Map.of() : Map.copyOf(namespaces);
        namespaces.forEach((name, auth) -> {
            require(EntityName.isValid(name), "namespaces." + name, name, "must be a valid namespace name");
            require(auth != null && auth.matches(AUTH_FORM), "namespaces." + name, "<hidden>", "must be <uuid>:<key>");
        });
        require(
                payloadMaxBytes != null
                        && payloadMaxBytes.toBytes() > 0
                        && payloadMaxBytes.toBytes() <= Integer.MAX_VALUE,
                "payload-max-bytes",
                payloadMaxBytes,
                "must be between 1 B and 2 GB");
        require(
                artifactMaxBytes != null
                        && artifactMaxBytes.toBytes() > 0
                        && artifactMaxBytes.toBytes() <= Integer.MAX_VALUE - 8,
                "artifact-max-bytes",
                artifactMaxBytes,
                "must be between 1 B and 2 GB");
        require(
                artifactUploadMaxBytes != null && artifactUploadMaxBytes.toBytes() > 0,
                "artifact-upload-max-bytes",
                artifactUploadMaxBytes,
                "must be > 0");
        require(
                artifactUploadConcurrency >= 1,
                "artifact-upload-concurrency",
                artifactUploadConcurrency,
                "must be >= 1");
        djlCacheDir = djlCacheDir != null ? djlCacheDir : Path.of(System.getProperty("java.io.tmpdir"), "hearth-djl");
        requirePositive("max-blocking-wait", maxBlockingWait);
        requirePositive("invoker-health-timeout", invokerHealthTimeout);
        require(
                completionGrace != null && !completionGrace.isNegative(),
                "completion-grace",
                completionGrace,
                "must be a duration >= 0");
    }

    /**
     * Blocking activations go straight to the chosen invoker over HTTP ({@code POST
     * <endpoint>/invoker/activations}, the endpoint from its health pings) and come back on the same
     * connection, instead of crossing Kafka twice; non-blocking ones, and any the invoker cannot be
     * reached for, go through Kafka.
     *
     * @param enabled        use the direct path when the invoker offers one (default true)
     * @param connectTimeout how long connecting to an invoker may take before Kafka is used instead
     * @param storeWait      how long a read of activations may wait for the record of a blocking call this
     *                       controller answered before the invoker stored it (see {@code UnstoredActivations})
     */
    public record Direct(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("2s") Duration storeWait) {
        public Direct {
            requirePositive("direct.connect-timeout", connectTimeout);
            requirePositive("direct.store-wait", storeWait);
        }
    }

    /** @param bootstrapServers Kafka's {@code bootstrap.servers} */
    public record Kafka(@DefaultValue("127.0.0.1:9092") String bootstrapServers) {
        public Kafka {
            require(
                    bootstrapServers != null && !bootstrapServers.isBlank(),
                    "kafka.bootstrap-servers",
                    bootstrapServers,
                    "must not be blank");
        }
    }

    /**
     * Action limits: allowed ranges and the defaults of a new action (keys
     * {@code limits.timeout.min|max|default-value} in milliseconds, {@code limits.memory.*} and
     * {@code limits.logs.*} in megabytes). Concurrency is fixed at 1 for now.
     */
    public record Limits(
            @DefaultValue Timeout timeout,
            @DefaultValue Memory memory,
            @DefaultValue Logs logs) {
        public Limits {
            requireNotNull("limits.timeout", timeout);
            requireNotNull("limits.memory", memory);
            requireNotNull("limits.logs", logs);
            check("limits.timeout", timeout);
            check("limits.memory", memory);
            check("limits.logs", logs);
        }

        /** The only concurrency an action may have for now. */
        public int concurrency() {
            return 1;
        }
    }

    /** An inclusive range with a default inside it. */
    public interface Range {
        int min();

        int max();

        int defaultValue();

        default boolean contains(int value) {
            return value >= min() && value <= max();
        }
    }

    /** Action timeout in milliseconds. */
    public record Timeout(
            @DefaultValue("100") int min,
            @DefaultValue("300000") int max,
            @DefaultValue("60000") int defaultValue) implements Range {}

    /**
     * Action memory in megabytes. {@code max} bounds code actions ({@code java}); model actions
     * ({@code djl:pytorch}) may go up to {@code modelMax} ({@code limits.memory.model-max}).
     */
    public record Memory(
            @DefaultValue("128") int min,
            @DefaultValue("512") int max,
            @DefaultValue("256") int defaultValue,
            @DefaultValue("4096") int modelMax)
            implements Range {
        public Memory {
            require(
                    modelMax >= min && modelMax > 0,
                    "limits.memory.model-max",
                    modelMax,
                    "must be > 0 and >= min (" + min + ")");
        }

        /** The range for model actions: from {@code min} to {@code modelMax}. */
        public Range models() {
            return new Bounds(min, modelMax, Math.min(Math.max(defaultValue, min), modelMax));
        }
    }

    /** A plain range. */
    public record Bounds(int min, int max, int defaultValue) implements Range {}

    /** Action log size in megabytes. */
    public record Logs(
            @DefaultValue("0") int min,
            @DefaultValue("10") int max,
            @DefaultValue("10") int defaultValue) implements Range {}

    private static void check(String key, Range r) {
        require(r.min() >= 0, key + ".min", r.min(), "must be >= 0");
        require(r.max() >= r.min() && r.max() > 0, key + ".max", r.max(), "must be > 0 and >= min (" + r.min() + ")");
        require(
                r.defaultValue() >= r.min() && r.defaultValue() <= r.max(),
                key + ".default-value",
                r.defaultValue(),
                "must be within [" + r.min() + ", " + r.max() + "]");
    }

    /** List queries: {@code limit} when none is given, and the largest allowed. */
    public record ListLimits(
            @DefaultValue("30") int defaultLimit,
            @DefaultValue("200") int maxLimit) {
        public ListLimits {
            require(maxLimit >= 1, "list.max-limit", maxLimit, "must be >= 1");
            require(
                    defaultLimit >= 1 && defaultLimit <= maxLimit,
                    "list.default-limit",
                    defaultLimit,
                    "must be within [1, max-limit]");
        }
    }

    /** Per-namespace throttles. */
    public record Throttles(
            @DefaultValue("600") int invocationsPerMinute,
            @DefaultValue("100") int concurrentInvocations) {
        public Throttles {
            require(
                    invocationsPerMinute >= 1,
                    "throttles.invocations-per-minute",
                    invocationsPerMinute,
                    "must be >= 1");
            require(
                    concurrentInvocations >= 1,
                    "throttles.concurrent-invocations",
                    concurrentInvocations,
                    "must be >= 1");
        }
    }

    /**
     * The {@code guest} namespace. With {@code key} ({@code uuid:key}) it is created with that key when
     * missing; without, a missing guest gets a generated key that is logged once.
     */
    public record Guest(Optional<String> key) {
        public Guest {
            key = key == null ? Optional.empty() : key.filter(k -> !k.isBlank());
            key.ifPresent(k -> require(k.matches(AUTH_FORM), "guest.key", "<uuid>:<hidden>", "must be <uuid>:<key>"));
        }
    }

    private static void requirePositive(String key, Duration value) {
        require(value != null && !value.isNegative() && !value.isZero(), key, value, "must be a positive duration");
    }

    private static void requireNotNull(String key, Object value) {
        require(value != null, key, null, "must be set");
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(PREFIX + "." + key + " " + rule + ", was " + value);
        }
    }
}
