/**
 * Hearth's invoker: one per machine. Consumes its activation topic, runs the container pool,
 * creates containers through a {@link dev.hearth.invoker.container.ContainerFactory}, records
 * activations, pings its health. Sub-packages by feature: {@code activation}, {@code artifact},
 * {@code container} (+ {@code process}), {@code pool}, {@code tensors} (the machine's tensor store:
 * references, accounting, removal), {@code health}.
 */
package dev.hearth.invoker;
