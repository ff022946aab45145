/**
 * The machine's tensor store as the invoker owns it: which containers reference which tensors
 * ({@link dev.hearth.invoker.tensors.TensorLedger}), charging shared bytes once to the pool, removing
 * unreferenced tensors after a grace period or under memory pressure
 * ({@link dev.hearth.invoker.tensors.ReclaimPolicy}, {@link dev.hearth.invoker.tensors.TensorJanitor}),
 * rebuilding its view and scrubbing the store at start, and reporting it ({@code GET /invoker/tensors},
 * {@code hearth.tensors.*} metrics), and publishing a bundle's tensors for containers that may only read
 * the store ({@link dev.hearth.invoker.tensors.BundlePublisher}, Docker's). The store's file format lives
 * in {@code dev.hearth.model.tensors}.
 */
package dev.hearth.invoker.tensors;
