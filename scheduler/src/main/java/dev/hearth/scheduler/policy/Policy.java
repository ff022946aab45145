package dev.hearth.scheduler.policy;

/** A pure autoscaling policy: the same snapshot always gives the same decision. */
public interface Policy {
    String name();

    Decision decide(Snapshot snapshot);
}
