package dev.hearth.invoker.preload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hearth.invoker.preload.PreloadPolicy.Candidate;
import dev.hearth.invoker.preload.PreloadPolicy.Cell;
import dev.hearth.invoker.preload.PreloadPolicy.Decision;
import dev.hearth.invoker.preload.PreloadPolicy.Offload;
import dev.hearth.invoker.preload.PreloadPolicy.Preload;
import dev.hearth.invoker.preload.PreloadPolicy.Snapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PreloadPolicyTest {
    static final Duration H = Duration.ofMinutes(10);
    static final String DJL = "djl:pytorch";

    /** The worked example's functions: r (ResNet-50, every 2 min, 300 ms load), m (MLP, hourly, 40 ms). */
    static Candidate r(boolean warm) {
        return r(warm ? 1 : 0, 1);
    }

    static Candidate r(int containers, int peak) {
        return new Candidate("ns/r", "r", DJL, 1024, 1 / 120.0, 300, 8, containers, peak);
    }

    static final Candidate M = new Candidate("ns/m", "m", DJL, 1024, 1 / 3600.0, 40, 8, 0, 1);

    static Cell cell(String id, int memoryMb, int budgetMb, Map<String, Integer> preloaded) {
        return new Cell(id, DJL, memoryMb, preloaded, budgetMb);
    }

    static Snapshot snap(List<Candidate> fs, List<Cell> cells, int pressureMb) {
        return new Snapshot(fs, cells, H, 20, pressureMb, 0);
    }

    static Snapshot busy(List<Candidate> fs, List<Cell> cells, int activations) {
        return new Snapshot(fs, cells, H, 20, 0, activations);
    }

    static Decision preload(Preload... p) {
        return new Decision(List.of(p), List.of());
    }

    static Stream<Arguments> decide() {
        return Stream.of(
                Arguments.of(
                        "example: r is worth it (one replica and the spare), m is not → preload r into both",
                        snap(
                                List.of(r(false), M),
                                List.of(cell("c1", 1024, 512, Map.of()), cell("c2", 1024, 512, Map.of())),
                                0),
                        preload(new Preload("c1", "r"), new Preload("c2", "r"))),
                Arguments.of(
                        "example: r went warm → it keeps the spare, the copy in c2 is dropped",
                        snap(
                                List.of(r(true), M),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8)), cell("c2", 1024, 512, Map.of("r", 8))),
                                0),
                        new Decision(List.of(), List.of(new Offload("c2", "r")))),
                Arguments.of(
                        "example while an activation runs: nothing is pre-loaded now (next interval)",
                        busy(
                                List.of(r(false), M),
                                List.of(cell("c1", 1024, 512, Map.of()), cell("c2", 1024, 512, Map.of())),
                                1),
                        preload()),
                Arguments.of(
                        "while busy, a copy no longer needed is still dropped",
                        busy(
                                List.of(r(true), M),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8)), cell("c2", 1024, 512, Map.of("r", 8))),
                                2),
                        new Decision(List.of(), List.of(new Offload("c2", "r")))),
                Arguments.of(
                        "one cell only: r gets what there is",
                        snap(List.of(r(false), M), List.of(cell("c1", 1024, 512, Map.of())), 0),
                        preload(new Preload("c1", "r"))),
                Arguments.of(
                        "peak 2, pre-loaded in c1 → into c2 as well",
                        snap(
                                List.of(r(0, 2)),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8)), cell("c2", 1024, 512, Map.of())),
                                0),
                        preload(new Preload("c2", "r"))),
                Arguments.of(
                        "busy steady function (one container, calls never overlap): it keeps its spare only",
                        snap(
                                List.of(r(1, 1)),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8)), cell("c2", 1024, 512, Map.of())),
                                0),
                        preload()),
                Arguments.of(
                        "example: the last calls came three at once, none running → three cells",
                        snap(
                                List.of(r(0, 3)),
                                List.of(
                                        cell("c1", 1024, 512, Map.of()),
                                        cell("c2", 1024, 512, Map.of()),
                                        cell("c3", 1024, 512, Map.of())),
                                0),
                        preload(new Preload("c1", "r"), new Preload("c2", "r"), new Preload("c3", "r"))),
                Arguments.of(
                        "mid-burst: peak 3, one container running, one replica held → two more (one spare)",
                        snap(
                                List.of(r(1, 3)),
                                List.of(
                                        cell("c1", 1024, 512, Map.of("r", 8)),
                                        cell("c2", 1024, 512, Map.of()),
                                        cell("c3", 1024, 512, Map.of())),
                                0),
                        preload(new Preload("c2", "r"), new Preload("c3", "r"))),
                Arguments.of(
                        "more replicas than needed: the highest cell ids give theirs up",
                        snap(
                                List.of(r(1, 1)),
                                List.of(cell("c2", 1024, 512, Map.of("r", 8)), cell("c1", 1024, 512, Map.of("r", 8))),
                                0),
                        new Decision(List.of(), List.of(new Offload("c2", "r")))),
                Arguments.of(
                        "as many replicas as its peak and the spare → nothing to do",
                        snap(
                                List.of(r(0, 1)),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8)), cell("c2", 1024, 512, Map.of("r", 8))),
                                0),
                        preload()),
                Arguments.of(
                        "no stem cell of the function's memory → nothing",
                        snap(List.of(r(false)), List.of(cell("c1", 512, 256, Map.of())), 0),
                        preload()),
                Arguments.of(
                        "the budget is too small for the cost → nothing",
                        snap(
                                List.of(new Candidate("ns/big", "big", DJL, 1024, 1.0, 500, 600, 0, 1)),
                                List.of(cell("c1", 1024, 512, Map.of())),
                                0),
                        preload()),
                Arguments.of(
                        "only cells with room: r goes into roomy alone; x (one container) holds its spare",
                        snap(
                                List.of(r(false), new Candidate("ns/x", "x", DJL, 1024, 1.0, 300, 500, 1, 1)),
                                List.of(cell("tight", 1024, 500, Map.of("x", 500)), cell("roomy", 1024, 512, Map.of())),
                                0),
                        preload(new Preload("roomy", "r"))),
                Arguments.of(
                        "spread: q goes into the empty c2, not beside r in c1",
                        snap(
                                List.of(r(1, 1), new Candidate("ns/q", "q", DJL, 1024, 1 / 60.0, 100, 8, 1, 1)),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8)), cell("c2", 1024, 512, Map.of())),
                                0),
                        preload(new Preload("c2", "q"))),
                Arguments.of(
                        "a pre-load of an unknown function is dropped",
                        snap(List.of(), List.of(cell("c1", 1024, 512, Map.of("gone", 8))), 0),
                        new Decision(List.of(), List.of(new Offload("c1", "gone")))),
                Arguments.of(
                        "a java function is never pre-loaded",
                        snap(
                                List.of(new Candidate("ns/j", "j", "java", 1024, 1.0, 300, 8, 0, 1)),
                                List.of(cell("c1", 1024, 512, Map.of())),
                                0),
                        preload()),
                Arguments.of(
                        "higher score first when only one fits",
                        snap(
                                List.of(r(false), new Candidate("ns/q", "q", DJL, 1024, 1 / 60.0, 100, 8, 0, 1)),
                                List.of(cell("c1", 1024, 10, Map.of())),
                                0),
                        preload(new Preload("c1", "r"))),
                Arguments.of(
                        "pressure: the lowest scores go until their cost covers it, nothing new",
                        snap(
                                List.of(r(false), new Candidate("ns/q", "q", DJL, 1024, 1 / 60.0, 100, 50, 0, 1), M),
                                List.of(cell("c1", 1024, 512, Map.of("r", 8, "q", 50))),
                                40),
                        new Decision(List.of(), List.of(new Offload("c1", "q")))),
                Arguments.of(
                        "hysteresis: value between half and the minimum keeps a pre-load",
                        snap(
                                List.of(new Candidate("ns/h", "h", DJL, 1024, 1 / 3600.0, 100, 8, 0, 1)),
                                List.of(cell("c1", 1024, 512, Map.of("h", 8))),
                                0),
                        preload()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void decide(String label, Snapshot snapshot, Decision expected) {
        assertThat(PreloadPolicy.decide(snapshot)).isEqualTo(expected);
    }
}
