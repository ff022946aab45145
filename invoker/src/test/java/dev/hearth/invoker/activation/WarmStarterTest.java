package dev.hearth.invoker.activation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.common.message.ActivationMessage;
import dev.hearth.testsupport.SampleActivations;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** What the warm starter knows of each action: the newest call, and nothing once the action changed. */
class WarmStarterTest {
    private static ActivationMessage call(String action, long sentAt) {
        return SampleActivations.of(action, sentAt);
    }

    @Test
    void forgetsAChangedActionAndTheCallsMadeBeforeTheChange() {
        // remember and forget reach neither the artifacts nor the pool
        WarmStarter warm = new WarmStarter(null, null, Clock.systemUTC());
        assertThat(warm.remember(call("guest/a", 100))).isTrue();
        assertThat(warm.remember(call("guest/b", 100))).isTrue();
        assertThat(warm.known()).containsExactly("guest/a", "guest/b");

        warm.forget("guest/a", 150);
        assertThat(warm.known()).as("changed at 150").containsExactly("guest/b");
        assertThat(warm.remember(call("guest/a", 150)))
                .as("made before the change")
                .isFalse();
        assertThat(warm.known()).containsExactly("guest/b");
        assertThat(warm.current(call("guest/a", 150))).as("asked again later").isFalse();
        assertThat(warm.current(call("guest/a", 151))).isTrue();
        assertThat(warm.current(call("guest/b", 100))).as("another action").isTrue();

        assertThat(warm.remember(call("guest/a", 151))).as("made after it").isTrue();
        warm.forget("guest/a", 120); // a late, older change (another controller's) takes nothing back
        assertThat(warm.known()).containsExactly("guest/a", "guest/b");
        assertThat(warm.remember(call("guest/a", 140)))
                .as("the newest change still counts")
                .isFalse();
    }
}
