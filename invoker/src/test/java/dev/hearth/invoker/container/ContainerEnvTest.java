package dev.hearth.invoker.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hearth.invoker.InvokerProperties;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvTest {

    @Test
    void theSpinCountIsSetUnlessLeftToLibgomp() {
        assertThat(ContainerEnv.of(new InvokerProperties.Cpu(null, null, null, null, null, null)))
                .as("with the split of the cores, the default")
                .isEqualTo(Map.of("GOMP_SPINCOUNT", "10000"));
        assertThat(ContainerEnv.of(new InvokerProperties.Cpu(null, null, false, null, null, null)))
                .as("without it: two teams of a thread per core share the cores")
                .isEqualTo(Map.of("GOMP_SPINCOUNT", "1000"));
        assertThat(ContainerEnv.of(new InvokerProperties.Cpu(null, null, false, 20000, null, null)))
                .as("a value set wins")
                .isEqualTo(Map.of("GOMP_SPINCOUNT", "20000"));
        assertThat(ContainerEnv.of(new InvokerProperties.Cpu(null, null, null, 0, null, null)))
                .as("0: sleep at once")
                .isEqualTo(Map.of("GOMP_SPINCOUNT", "0"));
        assertThat(ContainerEnv.of(new InvokerProperties.Cpu(null, null, null, -1, null, null)))
                .isEmpty();
        assertThatThrownBy(() -> new InvokerProperties.Cpu(null, null, null, -2, null, null))
                .hasMessageContaining("cpu.gomp-spin-count");
    }
}
