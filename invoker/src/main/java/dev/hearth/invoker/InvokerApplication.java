package dev.hearth.invoker;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The invoker service. Configuration comes from {@code invoker.yml} ({@code spring.config.name=invoker}),
 * {@code hearth.invoker.*} ({@link InvokerProperties}) and {@code spring.datasource.*}. It never runs
 * Flyway: the controller owns the schema. A launcher that runs it in-process uses {@link #builder()}
 * and adds its own properties (and may register its own {@code MessagingProvider} bean).
 */
@SpringBootApplication(excludeName = "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration")
@EnableConfigurationProperties(InvokerProperties.class)
public class InvokerApplication {

    /** A builder for a servlet application named {@code invoker}: add properties, then {@code run()}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(InvokerApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties("spring.config.name=invoker", "server.port=3236");
    }

    public static void main(String[] args) {
        builder().run(args);
    }
}
