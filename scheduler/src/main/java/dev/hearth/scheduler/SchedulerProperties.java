package dev.hearth.scheduler;

import dev.hearth.scheduler.policy.Policies;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The scheduler's settings ({@code hearth.scheduler.*}), defaults here, checked at start-up.
 *
 * @param kafkaBootstrapServers where the {@code events}, {@code health} and {@code scheduling} topics live
 * @param group the consumer group; one scheduler per group sees every event
 * @param policy the autoscaling policy in force: openwhisk, aiad, oneshot, faro-sum, faro-fair,
 *     has-hybrid or hearth (default)
 * @param interval how often the policy runs (default 30 s, at least 1 s)
 * @param historyWindows rate windows the policy sees (default 40: 20 minutes at 30 s)
 * @param coresPerInvoker CPU cores of each invoker, the budget's other half (pings carry memory only;
 *     default 2)
 */
@ConfigurationProperties("hearth.scheduler")
public record SchedulerProperties(
        String kafkaBootstrapServers,
        String group,
        String policy,
        Duration interval,
        Integer historyWindows,
        Double coresPerInvoker) {
    public SchedulerProperties {
        if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
            throw new IllegalArgumentException(
                    "hearth.scheduler.kafka-bootstrap-servers must be set (host:port of a Kafka broker)");
        }
        if (group == null || group.isBlank()) {
            group = "scheduler";
        }
        policy = policy == null || policy.isBlank() ? "hearth" : policy.trim();
        if (!Policies.names().contains(policy)) {
            throw new IllegalArgumentException(
                    "hearth.scheduler.policy must be one of " + Policies.names() + ", was '" + policy + "'");
        }
        interval = interval == null ? Duration.ofSeconds(30) : interval;
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("hearth.scheduler.interval must be at least 1s, was " + interval);
        }
        historyWindows = historyWindows == null ? 40 : historyWindows;
        if (historyWindows < 1) {
            throw new IllegalArgumentException(
                    "hearth.scheduler.history-windows must be at least 1, was " + historyWindows);
        }
        coresPerInvoker = coresPerInvoker == null ? 2.0 : coresPerInvoker;
        if (!(coresPerInvoker > 0)) {
            throw new IllegalArgumentException(
                    "hearth.scheduler.cores-per-invoker must be positive, was " + coresPerInvoker);
        }
    }

    /** The defaults, for tests and launchers. */
    public static SchedulerProperties of(String kafkaBootstrapServers) {
        return new SchedulerProperties(kafkaBootstrapServers, null, null, null, null, null);
    }
}
