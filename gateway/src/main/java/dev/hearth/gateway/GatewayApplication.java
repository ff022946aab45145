package dev.hearth.gateway;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * Entry point of the gateway. {@link #builder()} is the way in for a launcher that runs the gateway
 * in-process next to other Hearth services: it fixes the web application type and the config name,
 * and the caller adds its own properties before {@code run}.
 *
 * <p>The auto-configurations named in {@code excludeName} are switched off so the gateway starts
 * the same when a co-located service puts JDBC, Flyway, Kafka or Tomcat on the class path. Names
 * that are not on the class path are ignored by Spring Boot.
 */
@SpringBootApplication(
        excludeName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
            "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration"
        })
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayApplication {

    /** The gateway reads {@code gateway.yml} / {@code gateway.properties}, never {@code application.*}. */
    public static final String CONFIG_NAME = "gateway";

    /** OpenWhisk's API port. */
    public static final int DEFAULT_PORT = 3233;

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * A builder for a reactive gateway context that reads {@code gateway.yml} and listens on
     * {@value #DEFAULT_PORT}. Add settings with
     * {@code builder().properties("server.port=0", "hearth.gateway.controllers=http://...")}: they
     * replace these defaults but, like all default properties, yield to {@code gateway.yml},
     * environment variables, system properties and arguments. To force a value over all of those,
     * pass it as an argument: {@code builder().run("--server.port=0")}.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties("spring.config.name=" + CONFIG_NAME, "server.port=" + DEFAULT_PORT);
    }
}
