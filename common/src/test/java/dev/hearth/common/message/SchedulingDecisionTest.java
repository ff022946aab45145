package dev.hearth.common.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulingDecisionTest {

    @Test
    void survivesTheWire() {
        SchedulingDecision d = new SchedulingDecision(
                Message.SCHEMA,
                "tx",
                "hearth",
                1_000L,
                30_000L,
                List.of(new SchedulingDecision.Prewarm(0, "djl:pytorch", 1024, 2)),
                List.of(new SchedulingDecision.FunctionTarget("guest/resnet", 0, 2, 1, 0.5, 2_000)));
        assertThat(Messages.decode(Messages.encode(d), SchedulingDecision.class))
                .isEqualTo(d);
    }

    @Test
    void refusesANegativeTarget() {
        assertThatThrownBy(() -> new SchedulingDecision.FunctionTarget("guest/a", 0, -1, 0, 1, 0))
                .hasMessageContaining("guest/a");
    }
}
