/**
 * The process container factory: each container is a child JVM running the runtime proxy on a
 * loopback port, in a cgroup v1 memory group where the machine allows it. Owns spawning (heap sized
 * by kind: most of the memory for {@code java}, a quarter for models, whose weights are native), the
 * READY handshake and its start timings, the HTTP client to the proxy, per-activation log collection
 * from stdout/stderr up to the sentinel lines, the start-up warm-up (AppCDS archive, PyTorch natives
 * extracted into the DJL cache), and killing processes (also from a JVM shutdown hook).
 */
package dev.hearth.invoker.container.process;
