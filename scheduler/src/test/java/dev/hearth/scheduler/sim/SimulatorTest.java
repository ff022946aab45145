package dev.hearth.scheduler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.Measured;
import dev.hearth.scheduler.latency.StartKind;
import dev.hearth.scheduler.policy.Decision;
import dev.hearth.scheduler.policy.FixedKeepAlive;
import dev.hearth.scheduler.policy.HearthPolicy;
import dev.hearth.scheduler.policy.Policy;
import dev.hearth.scheduler.policy.Snapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final SimConfig CONFIG = SimConfig.standard(true);
    private static final SimConfig PRIVATE = SimConfig.standard(false);

    private static Trace oneFunction(int... perMinute) {
        return new Trace(
                "t",
                perMinute.length,
                List.of(new Trace.Function("o", "a", "f", "http", Measured.RESNET18, new Slo(500, 0.99), perMinute)));
    }

    /** A policy that always answers the same target for f. */
    private static Policy fixed(Decision.Target target, int stemCells) {
        return new Policy() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public Decision decide(Snapshot s) {
                return new Decision("fixed", s.nowMs(), Map.of("f", target), stemCells);
            }
        };
    }

    @Test
    void theSameInputsGiveTheSameResult() {
        Trace t = TraceGenerator.generate("bursty", 20, 1);
        RunResult a = Simulator.run(CONFIG, t, new HearthPolicy());
        RunResult b = Simulator.run(CONFIG, t, new HearthPolicy());
        assertThat(a.violationRate()).isEqualTo(b.violationRate());
        assertThat(a.cost()).isEqualTo(b.cost());
        assertThat(a.p99PerMinute()).isEqualTo(b.p99PerMinute());
    }

    @Test
    void keepAliveMakesOnlyTheFirstRequestStartAContainer() {
        RunResult r = Simulator.run(PRIVATE, oneFunction(1, 1, 1, 1, 1, 1, 1, 1, 1, 1), new FixedKeepAlive());
        assertThat(r.requests()).isEqualTo(10);
        // the first takes a stem cell (model load 163 + first inference 16 ms), the rest find it warm
        assertThat(r.prewarmedRate()).isEqualTo(0.1);
        assertThat(r.coldRate()).isZero();
        assertThat(r.violationRate()).isZero();
        assertThat(r.p99Ms()).isGreaterThan(Measured.RESNET18.startMs(StartKind.PREWARMED, false));
    }

    @Test
    void aColdStartThroughTheTensorStoreBreaksA500msSlo() {
        RunResult r = Simulator.run(CONFIG, oneFunction(1), fixed(new Decision.Target(0, 0, 1.0, 0), 0));
        // no stem cells are asked for, but the platform starts with its own at t = 0 (770 ms to be ready),
        // so a request in the first 770 ms is cold; either way it breaks 500 ms
        assertThat(r.violationRate()).isEqualTo(1.0);
    }

    @Test
    void preloadedContainersServeWithoutAColdStart() {
        int[] counts = new int[20];
        for (int m = 2; m < 20; m += 3) {
            counts[m] = 1;
        }
        RunResult r = Simulator.run(CONFIG, oneFunction(counts), fixed(new Decision.Target(0, 1, 1.0, 0), 2));
        assertThat(r.preloadedRate()).isEqualTo(1.0);
        assertThat(r.violationRate()).isZero();
        assertThat(r.p99Ms()).isLessThan(26 + 34 * 1.6);
    }

    @Test
    void costIsCoresReservedPlusMemoryHeld() {
        // no requests; from the first interval (30 s) one warm ResNet-18 container at 2 cores, no stem cells
        RunResult r = Simulator.run(PRIVATE, oneFunction(0, 0, 0, 0), fixed(new Decision.Target(1, 0, 2.0, 0), 0));
        double stemCellsFirst30s = 4 * 2 * (Measured.RUNTIME_MB + Measured.ENGINE_MB) / 1000 * 30;
        double containerMb = Measured.RESNET18.residentMb(false);
        double warm = (2 + containerMb / 1000 * Measured.COST_PER_GB_SECOND) * (240 - 30);
        double expected = (stemCellsFirst30s * Measured.COST_PER_GB_SECOND + warm) / 3600;
        assertThat(r.cost()).isCloseTo(expected, within(1e-9));
    }

    @Test
    void everyPolicyRunsOnEveryGeneratedTrace() {
        for (Trace t : TraceGenerator.standardSet(10, 5)) {
            for (Policy p : dev.hearth.scheduler.policy.Policies.all()) {
                RunResult r = Simulator.run(CONFIG, t, p);
                assertThat(r.requests()).as(t.name() + "/" + p.name()).isEqualTo(t.invocations());
                assertThat(r.violationRate()).isBetween(0.0, 1.0);
                assertThat(r.cost()).isPositive();
            }
        }
    }
}
