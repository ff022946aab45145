package dev.hearth.scheduler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The scheduler service: it follows the platform's activity ({@code events}) and invokers ({@code
 * health}), runs the configured autoscaling policy every interval and publishes its decisions on
 * {@code scheduling}; {@code GET /policy} shows the policy and its last decisions.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SchedulerApplication {

    /** The application with its own configuration file, {@code scheduler.yml}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(SchedulerApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties("spring.config.name=scheduler", "server.port=3235");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
