package dev.hearth.scheduler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The scheduler service. In this version it follows the platform's activity (the {@code events}
 * topic) and exposes it as metrics; the autoscaling policies and the simulator are a later issue.
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
