package dev.hearth.scheduler.policy;

import dev.hearth.common.entity.Slo;
import dev.hearth.scheduler.latency.Measured;
import dev.hearth.scheduler.latency.ModelProfile;
import java.util.List;

/** Snapshots for the policy tables. */
final class Fixtures {
    static final Slo SLO_500 = new Slo(500, 0.99);
    static final Snapshot.Cluster CLUSTER = new Snapshot.Cluster(4, 16_000, 4);
    /** 100 ms at any share, for the queueing examples. */
    static final ModelProfile FLAT_100 = new ModelProfile("flat", 100, 0, 0, 0, 0, 50);

    private Fixtures() {}

    static FunctionState resnet(String name, int warm, double... rates) {
        return new FunctionState(name, Measured.RESNET18, SLO_500, rates, warm, 0, 1.0);
    }

    static FunctionState flat(String name, int warm, double... rates) {
        return new FunctionState(name, FLAT_100, SLO_500, rates, warm, 0, 1.0);
    }

    static Snapshot snapshot(FunctionState... functions) {
        return new Snapshot(60_000, 30_000, CLUSTER, List.of(functions));
    }

    static Snapshot snapshot(Snapshot.Cluster cluster, FunctionState... functions) {
        return new Snapshot(60_000, 30_000, cluster, List.of(functions));
    }
}
