/**
 * Activation queries over the {@code activations} table (written by invokers): list with filters and
 * summaries, one record, its result and its logs.
 */
package dev.hearth.controller.activation;
