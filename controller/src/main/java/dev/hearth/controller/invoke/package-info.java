/**
 * Invoking actions: the POST endpoint, throttles (per-minute rate and concurrent activations per
 * namespace), parameter merging, and the blocking wait for a completion.
 */
package dev.hearth.controller.invoke;
