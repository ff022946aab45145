package dev.hearth.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ControllerPropertiesTest {

    private static ControllerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate(ControllerProperties.PREFIX, ControllerProperties.class);
    }

    @Test
    void defaults() {
        ControllerProperties p = bind(Map.of());
        assertThat(p.instance()).isZero();
        assertThat(p.controllers()).isEqualTo(1);
        assertThat(p.limits().memory().max()).isEqualTo(512);
        assertThat(p.limits().timeout().defaultValue()).isEqualTo(60_000);
        assertThat(p.limits().logs().max()).isEqualTo(10);
        assertThat(p.payloadMaxBytes().toBytes()).isEqualTo(1024 * 1024);
        assertThat(p.artifactMaxBytes().toMegabytes()).isEqualTo(48);
        assertThat(p.list().maxLimit()).isEqualTo(200);
        assertThat(p.throttles().invocationsPerMinute()).isEqualTo(600);
        assertThat(p.guest().key()).isEmpty();
    }

    @Test
    void memoryMaxCanBeRaised() {
        assertThat(bind(Map.of("hearth.controller.limits.memory.max", "4096")).limits().memory().max())
                .isEqualTo(4096);
    }

    @Test
    void badValuesNameKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.limits.memory.default-value", "1024")))
                .hasStackTraceContaining("hearth.controller.limits.memory.default-value must be within [128, 512], was 1024");
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.controllers", "0")))
                .hasStackTraceContaining("hearth.controller.controllers must be >= 1, was 0");
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.guest.key", "nope")))
                .hasStackTraceContaining("hearth.controller.guest.key must be <uuid>:<key>");
    }
}
