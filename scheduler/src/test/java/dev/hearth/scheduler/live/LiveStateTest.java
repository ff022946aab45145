package dev.hearth.scheduler.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.common.entity.Slo;
import dev.hearth.common.message.ActionChange;
import dev.hearth.common.message.ActivationEvent;
import dev.hearth.common.message.HealthPing;
import dev.hearth.common.message.Message;
import dev.hearth.scheduler.policy.FunctionState;
import dev.hearth.scheduler.policy.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveStateTest {
    static ActivationEvent event(String action, long init, long duration) {
        return event(action, init, duration, null);
    }

    static ActivationEvent event(String action, long init, long duration, Slo slo) {
        return event(action, 0, init, duration, slo);
    }

    static ActivationEvent event(String action, long arrivedAt, long init, long duration, Slo slo) {
        return new ActivationEvent(
                Message.SCHEMA,
                "tx",
                "a".repeat(32),
                action,
                "djl:pytorch",
                1024,
                0,
                arrivedAt,
                0,
                init,
                duration,
                0,
                "warm",
                slo);
    }

    static HealthPing ping(int invoker, List<String> warm) {
        return new HealthPing(Message.SCHEMA, "tx", invoker, 0, 4096, 2048, Map.of(), warm, List.of(), null);
    }

    @Test
    void rollsArrivalsIntoRatesAndCountsHealthyInvokers() {
        LiveState state = new LiveState(3);
        state.onPing(ping(0, List.of("guest/r")), 1_000);
        state.onPing(ping(1, List.of()), -20_000);
        for (int i = 0; i < 60; i++) {
            state.onEvent(event("guest/r", 0, 40));
        }
        state.onEvent(event("guest/r", 900, 950));
        Snapshot s = state.roll(10_000, 30_000, 2);
        assertThat(s.cluster().invokers()).isEqualTo(1);
        assertThat(s.cluster().memoryMbPerInvoker()).isEqualTo(4096);
        FunctionState f = s.functions().getFirst();
        assertThat(f.rates()).containsExactly(61 / 30.0);
        assertThat(f.warm()).isEqualTo(1);
        assertThat(f.slo()).isEqualTo(Slo.DEFAULT);
        // service time is duration less init: the cold one counts 50 ms, pulling the average up a little
        assertThat(f.profile().serviceMsAtOneCore()).isCloseTo(42, within(0.01));
        assertThat(state.roll(40_000, 30_000, 2).functions().getFirst().rates()).containsExactly(61 / 30.0, 0);
    }

    /**
     * A deleted action leaves the next snapshot (so no target outlives it); the late events of calls made
     * before the delete do not bring it back, a call after it does; an update changes nothing.
     */
    @Test
    void forgetsADeletedActionAndTheLateEventsOfItsCalls() {
        LiveState state = new LiveState(3);
        state.onEvent(event("guest/gone", 1_000, 0, 40, null));
        state.onEvent(event("guest/kept", 1_000, 0, 40, null));
        state.onChange(ActionChange.updated("tx", "guest/kept", "0.0.2", 1_500));
        state.onChange(ActionChange.deleted("tx", "guest/gone", 2_000));
        state.onEvent(event("guest/gone", 1_900, 0, 40, null));
        state.onEvent(event("guest/gone", 2_000, 0, 40, null));
        assertThat(state.roll(10_000, 10_000, 2).functions())
                .extracting(FunctionState::name)
                .containsExactly("guest/kept");
        state.onEvent(event("guest/gone", 2_001, 0, 40, null));
        FunctionState again = state.roll(20_000, 10_000, 2).functions().getFirst();
        assertThat(again.name()).isEqualTo("guest/gone");
        assertThat(again.rates()).as("a new history: one window").containsExactly(0.1);
    }

    @Test
    void takesEachActionsSloFromItsLatestEvent() {
        LiveState state = new LiveState(3);
        state.onEvent(event("guest/fast", 0, 10, new Slo(200, 0.99)));
        state.onEvent(event("guest/fast", 0, 10, new Slo(300, 0.999)));
        state.onEvent(event("guest/plain", 0, 10));
        Map<String, Slo> slos = new java.util.TreeMap<>();
        state.roll(1000, 1000, 2).functions().forEach(f -> slos.put(f.name(), f.slo()));
        assertThat(slos)
                .containsExactly(Map.entry("guest/fast", new Slo(300, 0.999)), Map.entry("guest/plain", Slo.DEFAULT));
    }

    @Test
    void recordsEachWindowsMostCallsInFlightBesideItsRate() {
        LiveState state = new LiveState(3);
        for (int i = 0; i < 50; i++) { // one client back to back: 16 ms calls 2 ms apart
            state.onEvent(event("guest/r", i * 18L, 0, 16, null));
        }
        state.roll(1000, 1000, 2);
        state.onEvent(event("guest/r", 2000, 0, 16, null));
        state.onEvent(event("guest/r", 2005, 0, 16, null));
        FunctionState f = state.roll(2000, 1000, 2).functions().getFirst();
        assertThat(f.rates()).containsExactly(50, 2);
        assertThat(f.peaks()).containsExactly(1, 2);
        assertThat(f.peakInFlight()).isEqualTo(2);
        assertThat(state.roll(3000, 1000, 2).functions().getFirst().peaks()).containsExactly(1, 2, 0);
        assertThat(state.roll(4000, 1000, 2).functions().getFirst().peaks()).containsExactly(2, 0, 0);
    }

    @Test
    void keepsOnlyTheHistoryWindows() {
        LiveState state = new LiveState(2);
        state.onEvent(event("guest/r", 0, 10));
        for (int w = 0; w < 5; w++) {
            state.roll(w * 1000L, 1000, 2);
        }
        assertThat(state.roll(5000, 1000, 2).functions().getFirst().rates()).hasSize(2);
    }
}
