/**
 * How the cores are split between the activations that run at once: {@link ThreadSplit} (the pure rule)
 * and {@link RunningShares} (the activations running now, and their CPU shares). The CPU weights
 * themselves are the pool's ({@code pool.RareFirst}, the scheduler's shares).
 */
package dev.hearth.invoker.cpu;
