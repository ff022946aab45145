/**
 * How the activations that run at once share the cores ({@link Cores}): the threads split between them
 * ({@link ThreadSplit}, the pure rule; {@link RunningShares}, the activations running now and their CPU
 * shares), and model forward passes taking turns ({@link PassGate}). The CPU weights themselves are the
 * pool's ({@code pool.RareFirst}, the scheduler's shares).
 */
package dev.hearth.invoker.cpu;
