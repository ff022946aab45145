/**
 * The activation flow: consume {@code invoker{N}}, run each activation (artifact, pool, {@code /init}
 * on a cold start, {@code /run}), build OpenWhisk's activation record, store it in
 * {@code activations}, send the completion to {@code completed{C}} and a metrics event to
 * {@code events}.
 */
package dev.hearth.invoker.activation;
