/**
 * Autoscaling policies, pure: each {@link dev.hearth.scheduler.policy.Policy} maps an immutable {@link
 * dev.hearth.scheduler.policy.Snapshot} (time passed in) to a {@link
 * dev.hearth.scheduler.policy.Decision}: warm containers, pre-loaded containers, CPU share and
 * keep-alive per function, and stem cells (pre-warmed containers) per invoker. The baselines are
 * OpenWhisk's fixed keep-alive, AIAD, oneshot, Faro-Sum and Faro-Fair, and an HAS-style hybrid; {@link
 * dev.hearth.scheduler.policy.HearthPolicy} is Hearth's own. {@link dev.hearth.scheduler.policy.Policies}
 * names them. Carrying a decision out (and placing containers on invokers) is the caller's business:
 * the simulator's, or the invokers'.
 */
package dev.hearth.scheduler.policy;
