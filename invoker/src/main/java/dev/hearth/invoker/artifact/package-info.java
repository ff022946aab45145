/**
 * Action code on this machine: artifacts are streamed from PostgreSQL large objects
 * ({@code artifacts.content_oid}) once per machine, verified against their SHA-256 while streaming and
 * cached under {@code <dataDir>/artifacts/<digest>.jar} (java) or {@code <digest>.zip} (model bundles).
 */
package dev.hearth.invoker.artifact;
