package dev.hearth.controller;

import dev.hearth.controller.config.ControllerProperties;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Entry point of the controller. {@link #builder()} is the way in for a launcher that runs the
 * controller in-process next to other Hearth services: it fixes the servlet web application type and
 * the config name ({@code controller.yml}), and the caller adds its own properties before
 * {@code run}.
 *
 * <p>A launcher may also hand in its own {@link dev.hearth.common.messaging.MessagingProvider}: register
 * it as a singleton named {@code messagingProvider} from an initializer and the controller will not
 * build a Kafka one (see {@link dev.hearth.controller.config.MessagingConfiguration}).
 *
 * <p>Kafka's Spring auto-configuration is excluded: the controller talks to Kafka only through the
 * messaging port.
 */
@SpringBootApplication(excludeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@EnableConfigurationProperties(ControllerProperties.class)
public class ControllerApplication {

    /** The controller reads {@code controller.yml} / {@code controller.properties}, never {@code application.*}. */
    public static final String CONFIG_NAME = "controller";

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * A builder for a servlet context that reads its own config name. Add properties with
     * {@code builder().properties("server.port=0", "hearth.controller.kafka.bootstrap-servers=...")};
     * those are default properties, so config files, system properties and arguments override them.
     * The builder's own defaults ({@code server.port=3234}, {@code spring.datasource.*} for a local
     * {@code hearth} database) are replaced by a later {@code properties(...)} call with the same key.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ControllerApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties(
                        "spring.config.name=" + CONFIG_NAME,
                        "server.port=3234",
                        "spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/hearth",
                        "spring.datasource.username=hearth",
                        "spring.datasource.password=hearth");
    }
}
