package dev.hearth.model.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** libtorch's per-pass warnings stay out of the process's stderr unless TORCH_CPP_LOG_LEVEL asks for them. */
class TorchLogLevelTest {

    @Test
    void theEngineStartsWithLibtorchsOwnLogAtErrorsOnly() {
        Engines.pytorch();
        assertThat(System.getenv(TorchLogLevel.ENV))
                .as("this test needs the variable unset")
                .isNull();
        assertThat(TorchLogLevel.current()).isEqualTo(TorchLogLevel.ERROR);
    }
}
