/**
 * The process container factory: each container is a child JVM running the runtime proxy on a
 * loopback port, in a cgroup v1 memory group where the machine allows it. Owns spawning, the READY
 * handshake, the HTTP client to the proxy, per-activation log collection from stdout/stderr up to
 * the sentinel lines, and killing processes (also from a JVM shutdown hook).
 */
package dev.hearth.invoker.container.process;
