/**
 * Invoking actions: the invocation itself ({@link dev.hearth.controller.invoke.Invocations}, no servlet, so a
 * gateway in the same JVM calls it too) and its POST endpoint, throttles (per-minute rate and concurrent activations per
 * namespace), parameter merging, and the blocking wait for a completion.
 */
package dev.hearth.controller.invoke;
