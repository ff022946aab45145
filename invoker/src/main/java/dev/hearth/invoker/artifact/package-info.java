/**
 * Action code on this machine: artifacts are read from PostgreSQL's {@code artifacts} table once per
 * machine, verified against their SHA-256 and cached under {@code <dataDir>/artifacts/<digest>.jar}.
 */
package dev.hearth.invoker.artifact;
