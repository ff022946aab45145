/**
 * The container pool, after OpenWhisk's ContainerPool: {@link dev.hearth.invoker.pool.PoolPolicy} is
 * the pure decision (warm, cold, evict then cold, queue; idle removal) over an immutable
 * {@link dev.hearth.invoker.pool.PoolSnapshot}; {@link dev.hearth.invoker.pool.ContainerPool} carries the
 * decisions out, keeps the FIFO queue and the containers' lifecycle
 * ({@link dev.hearth.invoker.pool.ContainerState}).
 */
package dev.hearth.invoker.pool;
