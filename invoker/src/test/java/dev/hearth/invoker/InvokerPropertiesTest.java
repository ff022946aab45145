package dev.hearth.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class InvokerPropertiesTest {

    static InvokerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("hearth.invoker", InvokerProperties.class);
    }

    @Test
    void defaults() {
        InvokerProperties p = bind(Map.of());
        assertThat(p.instance()).isZero();
        assertThat(p.userMemoryMb()).isEqualTo(4096);
        assertThat(p.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.dataDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "hearth-invoker"));
        assertThat(p.factory()).isEqualTo(InvokerProperties.FactoryKind.PROCESS);
        assertThat(p.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(p.process().javaHome()).isEqualTo(Path.of(System.getProperty("java.home")));
        assertThat(p.process().proxyClasspath())
                .contains("runtime-proxy")
                .contains("gson")
                .contains("pytorch-engine")
                .doesNotContain("spring");
        assertThat(p.djlCacheDir()).isEqualTo(p.dataDir().resolve("djl-cache"));
        assertThat(p.process().warmUpEngine()).isTrue();
        assertThat(p.process().startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.process().cgroupRoot()).isEqualTo(Path.of("/sys/fs/cgroup/memory/hearth"));
        assertThat(p.process().extraJvmFlags()).isEmpty();
    }

    @Test
    void bindsNestedValues() {
        InvokerProperties p = bind(Map.of(
                "hearth.invoker.instance",
                "3",
                "hearth.invoker.user-memory-mb",
                "512",
                "hearth.invoker.idle-timeout",
                "30s",
                "hearth.invoker.process.extra-jvm-flags[0]",
                "-Xss1m",
                "hearth.invoker.process.start-timeout",
                "5s",
                "hearth.invoker.factory",
                "process",
                "hearth.invoker.djl-cache-dir",
                "/var/cache/djl",
                "hearth.invoker.process.warm-up-engine",
                "false"));
        assertThat(p.djlCacheDir()).isEqualTo(Path.of("/var/cache/djl"));
        assertThat(p.process().warmUpEngine()).isFalse();
        assertThat(p.instance()).isEqualTo(3);
        assertThat(p.userMemoryMb()).isEqualTo(512);
        assertThat(p.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.process().extraJvmFlags()).containsExactly("-Xss1m");
        assertThat(p.process().startTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void dockerDefaultsAndChoices() {
        InvokerProperties p = bind(Map.of());
        assertThat(p.docker().image()).isEqualTo("hearth/runtime-proxy:latest");
        assertThat(p.docker().network()).isEqualTo("bridge");
        assertThat(p.docker().nameFor(p.instance())).isEqualTo("invoker0");
        assertThat(p.docker().readOnlyRootFs()).isTrue();
        assertThat(p.docker().pidsLimit()).isEqualTo(512);
        assertThat(p.docker().pauseGrace()).isEqualTo(Duration.ofMillis(500));
        InvokerProperties auto = bind(Map.of(
                "hearth.invoker.factory", "auto",
                "hearth.invoker.docker.network", "hearth_functions",
                "hearth.invoker.docker.pause-grace", "50ms"));
        assertThat(auto.factory()).isEqualTo(InvokerProperties.FactoryKind.AUTO);
        assertThat(auto.docker().network()).isEqualTo("hearth_functions");
        assertThat(auto.docker().pauseGrace()).isEqualTo(Duration.ofMillis(50));
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.docker.host", "/var/run/docker.sock")))
                .rootCause()
                .hasMessage(
                        "hearth.invoker.docker.host must start with unix:// or tcp://, but is '/var/run/docker.sock'");
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.docker.pids-limit", "8")))
                .rootCause()
                .hasMessageContaining("hearth.invoker.docker.pids-limit must be at least 32");
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.factory", "podman")))
                .hasMessageContaining("hearth.invoker.factory");
    }

    @Test
    void badValueNamesKeyAndValue() {
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.user-memory-mb", "-5")))
                .rootCause()
                .hasMessage("hearth.invoker.user-memory-mb must be more than 0, but is '-5'");
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.process.java-home", "/nowhere")))
                .rootCause()
                .hasMessageContaining("hearth.invoker.process.java-home has no executable bin/java, but is '/nowhere'");
    }

    @Test
    void answeredRecordsAreStoredInBatches() {
        InvokerProperties p = bind(Map.of());
        assertThat(p.direct().storeDelay()).isZero();
        assertThat(p.direct().storeBatch()).isEqualTo(200);
        InvokerProperties at = bind(Map.of(
                "hearth.invoker.direct.store-delay", "250ms",
                "hearth.invoker.direct.store-batch", "1"));
        assertThat(at.direct().storeDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(at.direct().storeBatch()).isEqualTo(1);
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.direct.store-batch", "1001")))
                .rootCause()
                .hasMessage("hearth.invoker.direct.store-batch must be from 1 to 1000, but is '1001'");
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.direct.store-delay", "-1ms")))
                .rootCause()
                .hasMessageContaining("hearth.invoker.direct.store-delay must not be negative");
    }

    @Test
    void backgroundThreadsStayAtTheContainersLevelUnlessAsked() {
        assertThat(bind(Map.of()).cpu().backgroundNice()).isZero();
        assertThat(bind(Map.of("hearth.invoker.cpu.background-nice", "10"))
                        .cpu()
                        .backgroundNice())
                .isEqualTo(10);
        assertThatThrownBy(() -> bind(Map.of("hearth.invoker.cpu.background-nice", "20")))
                .rootCause()
                .hasMessage("hearth.invoker.cpu.background-nice must be from 0 to 19, but is '20'");
    }
}
