/**
 * The live loop: {@link dev.hearth.scheduler.live.LiveState} follows {@code events} and {@code health},
 * {@link dev.hearth.scheduler.live.SchedulingLoop} runs the configured policy on its snapshot every
 * interval and publishes a {@link dev.hearth.common.message.SchedulingDecision} on {@code scheduling},
 * spread over invokers by {@link dev.hearth.scheduler.live.Spread}; {@link
 * dev.hearth.scheduler.live.PolicyEndpoint} shows the policy in force and its last decisions.
 */
package dev.hearth.scheduler.live;
