/**
 * The load balancer: {@link dev.hearth.controller.loadbalancer.ShardingPolicy} decides (pure, over a
 * snapshot), {@link dev.hearth.controller.loadbalancer.LoadBalancer} keeps invoker health, slot memory
 * and the futures of blocking callers, and talks to Kafka through the messaging port.
 */
package dev.hearth.controller.loadbalancer;
