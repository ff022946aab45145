/**
 * Containers as the invoker sees them: a {@link dev.hearth.invoker.container.ContainerFactory} makes a
 * started {@link dev.hearth.invoker.container.Container} for a memory size and kind; the container
 * speaks OpenWhisk's action-proxy protocol ({@code /init}, {@code /run}) and hands back each
 * activation's logs. Implementations live in sub-packages ({@code process}, {@code docker}).
 */
package dev.hearth.invoker.container;
