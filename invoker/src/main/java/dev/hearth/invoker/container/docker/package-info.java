/**
 * The Docker container factory: each container is a Docker container of the locally built
 * {@code hearth/runtime-proxy} image, made through the engine's API ({@link
 * dev.hearth.invoker.container.docker.DockerApi}, docker-java behind it, a stub in unit tests). Owns the
 * container's specification (memory and CPU limits from the action, hardening, read-only mounts of the
 * artifact cache and, for model kinds, the tensor store, which the factory publishes bundles to before
 * {@code /init}; labels), attaching to its output before start, the READY handshake,
 * per-activation logs cut at the sentinels, pause and resume through the engine's freezer, telling an
 * OOM kill from another death, the container's host pid (its memory figures), and removing the containers a previous invoker of the same name left.
 */
package dev.hearth.invoker.container.docker;
