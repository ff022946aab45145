/**
 * The machine's shared tensor store: model weights as files named by the SHA-256 of their bytes,
 * published atomically, verified before first use, and mapped copy-on-write into every process that
 * loads a model using them. See {@link dev.hearth.model.tensors.TensorStore}.
 */
package dev.hearth.model.tensors;
