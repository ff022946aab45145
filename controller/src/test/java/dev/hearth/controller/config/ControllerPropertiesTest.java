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
        assertThat(p.artifactUploadMaxBytes().toGigabytes()).isEqualTo(4);
        assertThat(p.artifactUploadConcurrency()).isEqualTo(4);
        assertThat(p.limits().memory().modelMax()).isEqualTo(4096);
        assertThat(p.limits().memory().models().max()).isEqualTo(4096);
        assertThat(p.limits().memory().models().min()).isEqualTo(128);
        assertThat(p.djlCacheDir())
                .isEqualTo(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "hearth-djl"));
    }

    @Test
    void modelMemoryAndUploadsAreConfigurable() {
        ControllerProperties p = bind(Map.of(
                "hearth.controller.limits.memory.model-max",
                "8192",
                "hearth.controller.artifact-upload-max-bytes",
                "10GB",
                "hearth.controller.djl-cache-dir",
                "/var/djl"));
        assertThat(p.limits().memory().models().max()).isEqualTo(8192);
        assertThat(p.limits().memory().max()).isEqualTo(512);
        assertThat(p.artifactUploadMaxBytes().toGigabytes()).isEqualTo(10);
        assertThat(p.djlCacheDir()).isEqualTo(java.nio.file.Path.of("/var/djl"));
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.limits.memory.model-max", "64")))
                .hasStackTraceContaining(
                        "hearth.controller.limits.memory.model-max must be > 0 and >= min (128), was 64");
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.artifact-upload-concurrency", "0")))
                .hasStackTraceContaining("hearth.controller.artifact-upload-concurrency must be >= 1, was 0");
    }

    @Test
    void memoryMaxCanBeRaised() {
        assertThat(bind(Map.of("hearth.controller.limits.memory.max", "4096"))
                        .limits()
                        .memory()
                        .max())
                .isEqualTo(4096);
    }

    @Test
    void badValuesNameKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.limits.memory.default-value", "1024")))
                .hasStackTraceContaining(
                        "hearth.controller.limits.memory.default-value must be within [128, 512], was 1024");
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.controllers", "0")))
                .hasStackTraceContaining("hearth.controller.controllers must be >= 1, was 0");
        assertThatThrownBy(() -> bind(Map.of("hearth.controller.guest.key", "nope")))
                .hasStackTraceContaining("hearth.controller.guest.key must be <uuid>:<key>");
    }
}
